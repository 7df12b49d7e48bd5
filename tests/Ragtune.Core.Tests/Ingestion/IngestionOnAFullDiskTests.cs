using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Core.Telemetry;
using Ragtune.Core.Tests.Chunking;
using Ragtune.Core.Tests.Fakes;
using Ragtune.Testing;
using Ragtune.Testing.Logging;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Core.Tests.Ingestion;

/// <summary>
/// The index's disk fills during a bulk ingestion (a fault-injecting index whose commits fail as a full disk does, with
/// the IOException .NET raises for ENOSPC): the run stops at once with how many documents were not ingested, keeps
/// only whole documents, logs the exception at Debug only, and the next run after space is freed completes.
/// (<c>tests/Ragtune.Cli.Tests --filter IngestOnAFullDiskTests</c> fills a real tmpfs with SQLite.)
/// </summary>
public sealed class IngestionOnAFullDiskTests
{
    private const int Documents = 12;
    private const int Concurrent = 3;

    private readonly InMemoryChunkIndex _stored = new();
    private readonly FullDiskChunkIndex _index;
    private readonly InMemoryDocumentCatalog _catalog = new();
    private readonly CapturingLoggerProvider _logs = new(LogLevel.Debug);
    private readonly IngestionPipeline _pipeline;

    public IngestionOnAFullDiskTests()
    {
        _index = new FullDiskChunkIndex(_stored);
        var profile = MiniLm.Profile() with { Dimensions = 8 };
        _pipeline = new IngestionPipeline(
            DocumentReaders.CreateDefault(),
            new TextChunker(profile, Options.Create(new ChunkingOptions())),
            new CountingEmbeddingGenerator(),
            profile,
            _index,
            _catalog,
            Options.Create(new IngestionOptions { BatchSize = 4, MaxConcurrentDocuments = Concurrent }),
            TimeProvider.System,
            new RagtuneMetrics(new TestMeterFactory()),
            _logs.CreateLogger<IngestionPipeline>());
    }

    [Fact]
    public async Task IngestMany_DiskFullMidRun_StopsOnceWithTheCountNotIngested_AndKeepsOnlyWholeDocuments()
    {
        _index.FullAfterCommits = 4;

        var stopped = await Assert.ThrowsAsync<StorageFullException>(() => _pipeline.IngestManyAsync(Folder()));

        var records = await _catalog.ListAsync();
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal(DocumentStatus.Indexed, r.Status));
        Assert.Equal(Documents - 4, stopped.NotIngested);
        foreach (var source in Folder().Select(d => d.Source))
        {
            var record = records.SingleOrDefault(r => r.Source == source);
            Assert.Equal(record?.Chunks ?? 0, _stored.ChunksOf(DocumentIds.ForSource(source)).Count);
        }

        // Stopped at once: only the documents already in progress tried to write again, not every remaining one.
        Assert.InRange(_index.RefusedCommits, 1, Concurrent);
    }

    [Fact]
    public async Task IngestMany_DiskFull_LogsNoWarningWithAnException_AndTheExceptionAtDebug()
    {
        _index.FullAfterCommits = 2;

        await Assert.ThrowsAsync<StorageFullException>(() => _pipeline.IngestManyAsync(Folder()));

        var warnings = _logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Text).ToList();
        Assert.True(warnings.Count == 0, string.Join('\n', warnings));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Debug && e.Text.Contains("No space left on device", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IngestMany_AfterSpaceIsFreed_CompletesTheFolder()
    {
        _index.FullAfterCommits = 5;
        await Assert.ThrowsAsync<StorageFullException>(() => _pipeline.IngestManyAsync(Folder()));

        _index.FullAfterCommits = null;
        var results = await _pipeline.IngestManyAsync(Folder());

        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Source}: {r.Outcome}"));
        Assert.Equal(Documents - 5, results.Count(r => r.Outcome == IngestionOutcome.Indexed));
        var records = await _catalog.ListAsync();
        Assert.Equal(Documents, records.Count(r => r.Status == DocumentStatus.Indexed));
        Assert.All(records, r => Assert.Equal(r.Chunks, _stored.ChunksOf(r.DocumentId).Count));
    }

    [Fact]
    public async Task Synchronize_DiskFull_RemovesNothing()
    {
        await _pipeline.IngestAsync(Document(99));
        _index.FullAfterCommits = _index.Commits + 1;

        await Assert.ThrowsAsync<StorageFullException>(() => _pipeline.SynchronizeAsync(DocumentOrigin.WatchedFolder("/srv/notes"), Folder()));

        Assert.NotNull(await _catalog.FindAsync(DocumentIds.ForSource(Document(99).Source)));
    }

    [Fact]
    public async Task Ingest_DiskFullWhenTheRecordIsSaved_LeavesNeitherTheChunksNorTheRecord()
    {
        var catalog = new FullDiskCatalog();
        var profile = MiniLm.Profile() with { Dimensions = 8 };
        var pipeline = new IngestionPipeline(
            DocumentReaders.CreateDefault(),
            new TextChunker(profile, Options.Create(new ChunkingOptions())),
            new CountingEmbeddingGenerator(),
            profile,
            _stored,
            catalog,
            Options.Create(new IngestionOptions { BatchSize = 4 }),
            TimeProvider.System,
            new RagtuneMetrics(new TestMeterFactory()),
            _logs.CreateLogger<IngestionPipeline>());

        await Assert.ThrowsAsync<StorageFullException>(() => pipeline.IngestAsync(Document(1)));

        // The pipeline hands the chunks and their record to the catalog together, and commits no chunks on its own.
        Assert.Empty(_stored.ChunksOf(DocumentIds.ForSource(Document(1).Source)));
        Assert.Equal(1, catalog.RefusedCommits);
    }

    private static List<SourceDocument> Folder() => [.. Enumerable.Range(0, Documents).Select(Document)];

    private static SourceDocument Document(int i)
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 3).Select(p => $"Document {i}, part {p}: " + string.Join(' ', Enumerable.Range(0, 12).Select(j => $"Sentence {j} about topic {i * 100 + p * 10 + j}."))));
        return new($"doc-{i:D2}.md", [], _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false)));
    }

    /// <summary>
    /// A catalog that shares one transaction with the index, on a full disk: it reads (nothing), and neither a record nor
    /// a record with its chunks fits; the chunks are not committed, as a rolled-back transaction leaves them.
    /// </summary>
    private sealed class FullDiskCatalog : IDocumentCatalog
    {
        public int RefusedCommits { get; private set; }

        public Task<DocumentRecord?> FindAsync(string documentId, CancellationToken cancellationToken = default) => Task.FromResult<DocumentRecord?>(null);

        public Task<IReadOnlyList<DocumentRecord>> ListAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<DocumentRecord>>([]);

        public Task SaveAsync(DocumentRecord record, CancellationToken cancellationToken = default) => throw NoSpace();

        public Task CommitAsync(IChunkReplacement chunks, DocumentRecord record, CancellationToken cancellationToken = default)
        {
            RefusedCommits++;
            throw NoSpace();
        }

        public Task DeleteAsync(string documentId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        private static IOException NoSpace() => new("No space left on device", 28);
    }
}
