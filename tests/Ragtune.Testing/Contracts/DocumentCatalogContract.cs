using Ragtune.Core.Index;
using Xunit;

namespace Ragtune.Testing.Contracts;

/// <summary>What every <see cref="IDocumentCatalog"/> does (SQLite, Table Storage): derive, give the catalog under test, and run.</summary>
public abstract class DocumentCatalogContract
{
    protected static readonly DateTimeOffset IndexedAt = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2));

    /// <summary>An empty catalog of the test's own.</summary>
    protected abstract IDocumentCatalog Catalog { get; }

    [Fact]
    public async Task Save_ThenFind_ReturnsTheSameRecord()
    {
        var record = Record("handbook/benefits.pdf") with { Groups = ["hr", "board"] };

        await Catalog.SaveAsync(record);
        var found = await Catalog.FindAsync(record.DocumentId);

        Assert.NotNull(found);
        Assert.Equal(record.DocumentId, found.DocumentId);
        Assert.Equal(record.Source, found.Source);
        Assert.Equal(record.ContentHash, found.ContentHash);
        Assert.Equal(DocumentStatus.Indexed, found.Status);
        Assert.Equal(12, found.Chunks);
        Assert.Equal(IndexedAt, found.IndexedAt);
        Assert.Equal(IndexedAt.Offset, found.IndexedAt.Offset);
        Assert.Equal(["board", "hr"], found.Groups);
        Assert.Null(found.Error);
        Assert.Null(found.SourceVersion);
    }

    [Fact]
    public async Task Save_Again_ReplacesTheRecord()
    {
        var record = Record("handbook/benefits.pdf");
        await Catalog.SaveAsync(record);

        await Catalog.SaveAsync(record with { Status = DocumentStatus.Failed, Chunks = 0, Error = "The PDF is encrypted.", ContentHash = "other" });

        var found = Assert.Single(await Catalog.ListAsync());
        Assert.Equal(DocumentStatus.Failed, found.Status);
        Assert.Equal("The PDF is encrypted.", found.Error);
        Assert.Equal("other", found.ContentHash);
        Assert.Equal(0, found.Chunks);
    }

    [Fact]
    public async Task Save_SourceVersion_RoundTrips_AndIsClearedByARecordWithout()
    {
        var record = Record("handbook/benefits.pdf") with { SourceVersion = "\"0x8DD2A1B2C3D4E5F\"" };
        await Catalog.SaveAsync(record);
        Assert.Equal(record.SourceVersion, (await Catalog.FindAsync(record.DocumentId))!.SourceVersion);
        Assert.Equal(record.SourceVersion, Assert.Single(await Catalog.ListAsync()).SourceVersion);

        await Catalog.SaveAsync(record with { SourceVersion = null });

        Assert.Null((await Catalog.FindAsync(record.DocumentId))!.SourceVersion);
    }

    [Fact]
    public async Task Save_Origin_RoundTrips_InFindAndList()
    {
        var watched = Record("a.md") with { Origin = DocumentOrigin.WatchedFolder("/srv/docs") };
        var ingested = Record("b.md") with { Origin = DocumentOrigin.IngestedPath("/home/me/papers") };
        var unknown = Record("c.md");
        foreach (var record in new[] { watched, ingested, unknown })
        {
            await Catalog.SaveAsync(record);
        }

        Assert.Equal(watched.Origin, (await Catalog.FindAsync(watched.DocumentId))!.Origin);
        Assert.Equal([watched.Origin, ingested.Origin, DocumentOrigin.Unknown], (await Catalog.ListAsync()).Select(r => r.Origin));

        await Catalog.SaveAsync(ingested with { Origin = watched.Origin });
        Assert.Equal(watched.Origin, (await Catalog.FindAsync(ingested.DocumentId))!.Origin);
    }

    [Fact]
    public async Task Save_Chunking_RoundTrips_AndIsNullForARecordWithout()
    {
        var record = Record("handbook/benefits.pdf") with { Chunking = "2/254/32/64" };
        await Catalog.SaveAsync(record);
        Assert.Equal("2/254/32/64", (await Catalog.FindAsync(record.DocumentId))!.Chunking);
        Assert.Equal("2/254/32/64", Assert.Single(await Catalog.ListAsync()).Chunking);

        await Catalog.SaveAsync(record with { Chunking = null });

        Assert.Null((await Catalog.FindAsync(record.DocumentId))!.Chunking);
    }

    [Fact]
    public async Task Find_Unknown_ReturnsNull()
    {
        Assert.Null(await Catalog.FindAsync("unknown"));
    }

    [Fact]
    public async Task List_OrdersBySource()
    {
        foreach (var source in new[] { "zeta.md", "handbook/b.pdf", "Alpha.md", "handbook/a.pdf" })
        {
            await Catalog.SaveAsync(Record(source));
        }

        var sources = (await Catalog.ListAsync()).Select(r => r.Source);

        Assert.Equal(["Alpha.md", "handbook/a.pdf", "handbook/b.pdf", "zeta.md"], sources);
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatRecord()
    {
        await Catalog.SaveAsync(Record("a.md"));
        await Catalog.SaveAsync(Record("b.md"));

        await Catalog.DeleteAsync(DocumentIds.ForSource("a.md"));
        await Catalog.DeleteAsync("unknown");

        Assert.Equal(["b.md"], (await Catalog.ListAsync()).Select(r => r.Source));
    }

    [Fact]
    public async Task Commit_CommitsTheChunksAndSavesTheRecord()
    {
        var record = Record("handbook/leave.md");
        var chunks = new CommitCountingReplacement();

        await Catalog.CommitAsync(chunks, record);

        Assert.Equal(1, chunks.Commits);
        Assert.Equal(record.ContentHash, (await Catalog.FindAsync(record.DocumentId))?.ContentHash);
    }

    [Fact]
    public async Task Commit_WhenTheChunksFailToCommit_SavesNoRecord()
    {
        var record = Record("handbook/leave.md");

        await Assert.ThrowsAsync<IOException>(() => Catalog.CommitAsync(new CommitCountingReplacement { Failure = new IOException("No space left on device") }, record));

        Assert.Null(await Catalog.FindAsync(record.DocumentId));
    }

    protected static DocumentRecord Record(string source) =>
        new(DocumentIds.ForSource(source), source, DocumentIds.ContentHash(source), DocumentStatus.Indexed, 12, IndexedAt, [], null);
}

/// <summary>A replacement of another store: it counts its commits, or fails them with <see cref="Failure"/>.</summary>
internal sealed class CommitCountingReplacement : IChunkReplacement
{
    public Exception? Failure { get; init; }

    public int Commits { get; private set; }

    public Task AddAsync(IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Commits++;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
