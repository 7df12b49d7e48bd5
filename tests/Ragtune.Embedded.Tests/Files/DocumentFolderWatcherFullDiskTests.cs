using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Core.Index;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Tests.Storage;
using Ragtune.Testing;
using Ragtune.Testing.Logging;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>
/// The index's disk fills while <c>serve</c> watches its folder (a fault-injecting index in front of the real one):
/// the watcher pauses with one warning naming the folder, reads no document until its next full synchronisation, and
/// that synchronisation, once space is freed, ingests everything that changed meanwhile.
/// </summary>
public sealed class DocumentFolderWatcherFullDiskTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Resync = TimeSpan.FromHours(1);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private readonly TestIndex _index = TestIndex.Create();
    private readonly FullDiskChunkIndex _full;
    private readonly TempDirectory _documents = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new(LogLevel.Debug);
    private readonly CountingEmbeddingGenerator _embeddings = new(384);

    public DocumentFolderWatcherFullDiskTests() => _full = new FullDiskChunkIndex(_index.Index);

    public void Dispose()
    {
        _embeddings.Dispose();
        _index.Dispose();
        _documents.Dispose();
    }

    [Fact]
    public async Task DiskFull_PausesTheWatcherWithOneWarning_AndTheNextFullSynchronizationCompletes()
    {
        using var watcher = CreateWatcher();
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await watcher.FirstSynchronization;
            _full.FullAfterCommits = 0;
            string[] sources = ["a.md", "b.md", "c.md"];
            foreach (var source in sources)
            {
                _documents.WriteFile(source, $"# {source}\n\nThe Quarrymoor ferry crosses at {source.Length} o'clock on document {source}.\n");
            }

            await PausedAsync();

            var warnings = _logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
            var paused = Assert.Single(warnings);
            Assert.Equal(4008, paused.EventId.Id);
            Assert.Contains(_documents.Path, paused.Text, StringComparison.Ordinal);
            Assert.EndsWith("|| ", paused.Text, StringComparison.Ordinal);
            Assert.Contains(_logs.Entries, e => e.EventId.Id == 4009 && e.Level == LogLevel.Debug && e.Text.Contains("No space left on device", StringComparison.Ordinal));

            _full.FullAfterCommits = null;
            await Eventually.HoldsAsync(
                async () =>
                {
                    _time.Advance(Resync / 8);
                    return (await _index.Catalog.ListAsync()).Count(r => r.Status == DocumentStatus.Indexed) == sources.Length;
                },
                Within,
                "every document is indexed after the next full synchronisation");
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }

        // Paused at the first refused write: the other documents were not tried until space was freed.
        Assert.Equal(1, _full.RefusedCommits);
        Assert.Single(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task DiskFull_OneDocumentNotIngested_IsSaidInTheSingular()
    {
        var paused = await PausedWarningAsync(documentsAtStart: 0, documentsAfterStart: 1);

        Assert.Contains("paused with 1 document not ingested,", paused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiskFull_AtTheFirstSynchronizationOfThreeDocuments_SaysThreeDocuments()
    {
        var paused = await PausedWarningAsync(documentsAtStart: 3, documentsAfterStart: 0);

        Assert.Contains("paused with 3 documents not ingested,", paused, StringComparison.Ordinal);
    }

    private DocumentFolderWatcher CreateWatcher() => TestWatcher.Create(
        _index,
        new DocumentFolderOptions { Root = _documents.Path, Debounce = Debounce, ResyncInterval = Resync },
        _embeddings,
        _time,
        _logs.CreateLogger<DocumentFolderWatcher>(),
        chunkIndex: _full);

    /// <summary>Moves time on by debounces until the watcher has paused (its warning, event 4008).</summary>
    private Task PausedAsync() => Eventually.HoldsAsync(
        () =>
        {
            _time.Advance(Debounce);
            return _logs.Entries.Any(e => e.EventId.Id == 4008);
        },
        Within,
        "the watcher paused");

    /// <summary>The text of the pause warning, on a disk full from the start, for documents written before and after the watcher starts.</summary>
    private async Task<string> PausedWarningAsync(int documentsAtStart, int documentsAfterStart)
    {
        for (var i = 0; i < documentsAtStart; i++)
        {
            _documents.WriteFile($"start-{i}.md", $"# Start {i}\n\nThe Quarrymoor ferry crosses at {i} o'clock.\n");
        }

        _full.FullAfterCommits = 0;
        using var watcher = CreateWatcher();
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await watcher.FirstSynchronization;
            for (var i = 0; i < documentsAfterStart; i++)
            {
                _documents.WriteFile($"later-{i}.md", $"# Later {i}\n\nThe Quarrymoor ferry leaves at {i} o'clock.\n");
            }

            await PausedAsync();
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }

        return Assert.Single(_logs.Entries, e => e.EventId.Id == 4008).Text;
    }
}
