using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Core.Index;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Tests.Storage;
using Ragtune.Testing;
using Ragtune.Testing.Logging;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>
/// A file still being written is not read: the watcher waits until it has been unchanged for the debounce, on its
/// clock (a <see cref="FakeTimeProvider"/> here, so however slowly this machine runs, the debounce only passes when the
/// test says so).
/// </summary>
public sealed class DocumentFolderWatcherDebounceTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private readonly TestIndex _index = TestIndex.Create();
    private readonly TempDirectory _documents = new();
    private readonly TempDirectory _elsewhere = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new(LogLevel.Debug);
    private readonly RecordingEmbeddingGenerator _embeddings = new();

    public void Dispose()
    {
        _index.Dispose();
        _documents.Dispose();
        _elsewhere.Dispose();
    }

    [Fact]
    public async Task SlowlyWrittenFile_IsReadOnlyOnceComplete()
    {
        const string Source = "archive.md";
        const string FirstHalf = "# Archive\n\nThe Tollbridge archive keeps signed contracts for";
        const string SecondHalf = " exactly seventeen years before they are shredded.\n";
        var path = _documents.Combine(Source);
        var complete = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FirstHalf + SecondHalf)));
        using var watcher = Watcher();
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await watcher.FirstSynchronization;

            // The first half arrives whole (moved in), so the watcher sees it as it is: a file it could read at once.
            var part = _elsewhere.Combine(Source);
            await File.WriteAllTextAsync(part, FirstHalf);
            File.Move(part, path);
            await Eventually.HoldsAsync(() => _logs.Entries.Any(e => e.EventId.Id == 4007 && e.Text.Contains(Source, StringComparison.Ordinal)), Within, "the watcher saw the first half");
            _time.Advance(Debounce / 2);
            await File.AppendAllTextAsync(path, SecondHalf);

            // The clock moves only here: each step passes a debounce, after which the file has been quiet (both halves
            // were written before the first step).
            await Eventually.HoldsAsync(
                async () =>
                {
                    _time.Advance(Debounce);
                    return await _index.Catalog.FindAsync(DocumentIds.ForSource(Source)) is { Status: DocumentStatus.Indexed };
                },
                Within,
                $"{Source} is indexed");
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }

        var record = await _index.Catalog.FindAsync(DocumentIds.ForSource(Source));
        Assert.Equal(complete, record!.ContentHash);
        var read = Assert.Single(_embeddings.Texts, text => text.Contains("Tollbridge", StringComparison.Ordinal));
        Assert.Contains("seventeen years before they are shredded", read, StringComparison.Ordinal);
    }

    private DocumentFolderWatcher Watcher() =>
        TestWatcher.Create(
            _index,
            new DocumentFolderOptions { Root = _documents.Path, Debounce = Debounce, ResyncInterval = TimeSpan.FromHours(1) },
            _embeddings,
            _time,
            _logs.CreateLogger<DocumentFolderWatcher>());
}
