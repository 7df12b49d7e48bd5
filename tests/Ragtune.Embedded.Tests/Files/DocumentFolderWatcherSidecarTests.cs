using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Core.Index;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Tests.Storage;
using Ragtune.Testing;
using Ragtune.Testing.Logging;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>
/// A document and its access-control sidecar written one after the other (README: write the sidecar first, or within
/// the debounce): the watcher reads a changed document with the sidecar it finds once the document has been quiet for
/// the debounce, so a sidecar written within it is read with the document, and one written later makes the document
/// restricted only from then on. The clock is a <see cref="FakeTimeProvider"/>: the debounce passes when the test says.
/// </summary>
public sealed class DocumentFolderWatcherSidecarTests : IDisposable
{
    private const string Source = "minutes.md";
    private const string Marker = "Harrowfield";
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private readonly TestIndex _index = TestIndex.Create();
    private readonly TempDirectory _documents = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new(LogLevel.Debug);
    private readonly CountingEmbeddingGenerator _embeddings = new(384);

    public void Dispose()
    {
        _embeddings.Dispose();
        _index.Dispose();
        _documents.Dispose();
    }

    [Fact]
    public async Task SidecarWrittenWithinTheDebounceOfItsDocument_IsReadWithIt_SoTheDocumentIsNeverPublic()
    {
        await WatchAsync(async () =>
        {
            _documents.WriteFile(Source, $"# Minutes\n\nThe {Marker} board approved a bonus of four percent.\n");
            await QueuedAsync(Source);
            _time.Advance(Debounce / 2);
            _documents.WriteFile(Source + ".acl.json", "{\"groups\": [\"board\"]}");
            await QueuedAsync(Source + ".acl.json");

            await AdvanceUntilAsync(r => r is { Status: DocumentStatus.Indexed, Groups: ["board"] }, "indexed for the board");
        });

        // Indexed once, already restricted: had it been indexed public first, the sidecar would have made it indexed again.
        Assert.Equal(1, TimesIndexed());
    }

    [Fact]
    public async Task SidecarWrittenAfterTheDocumentWasRead_RestrictsItOnlyFromThen()
    {
        await WatchAsync(async () =>
        {
            _documents.WriteFile(Source, $"# Minutes\n\nThe {Marker} board approved a bonus of four percent.\n");
            await AdvanceUntilAsync(r => r is { Status: DocumentStatus.Indexed, Groups: [] }, "indexed, public");

            _documents.WriteFile(Source + ".acl.json", "{\"groups\": [\"board\"]}");
            await AdvanceUntilAsync(r => r is { Status: DocumentStatus.Indexed, Groups: ["board"] }, "indexed for the board");
        });

        Assert.Equal(2, TimesIndexed());
    }

    /// <summary>How many times the watcher indexed the document (event 4003 with outcome Indexed).</summary>
    private int TimesIndexed() =>
        _logs.Entries.Count(e => e.EventId.Id == 4003 && e.Text.StartsWith(Source + ": Indexed", StringComparison.Ordinal));

    private async Task WatchAsync(Func<Task> scenario)
    {
        using var watcher = TestWatcher.Create(
            _index,
            new DocumentFolderOptions { Root = _documents.Path, Debounce = Debounce, ResyncInterval = TimeSpan.FromHours(1) },
            _embeddings,
            _time,
            _logs.CreateLogger<DocumentFolderWatcher>());
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await watcher.FirstSynchronization;
            await scenario();
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    private Task QueuedAsync(string name) =>
        Eventually.HoldsAsync(() => _logs.Entries.Any(e => e.EventId.Id == 4007 && e.Text.Contains(name + " changed", StringComparison.Ordinal)), Within, $"the watcher saw {name}");

    /// <summary>Moves the clock a debounce at a time until the document's catalog record satisfies <paramref name="condition"/>.</summary>
    private Task AdvanceUntilAsync(Func<DocumentRecord?, bool> condition, string what) =>
        Eventually.HoldsAsync(
            async () =>
            {
                _time.Advance(Debounce);
                return condition(await _index.Catalog.FindAsync(DocumentIds.ForSource(Source)));
            },
            Within,
            $"{Source} is {what}");
}
