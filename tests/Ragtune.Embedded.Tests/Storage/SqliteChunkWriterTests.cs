using Microsoft.Extensions.Logging.Abstractions;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>The index's writes on their own: a writer and its vector cache over a real file, without the index around them.</summary>
public sealed class SqliteChunkWriterTests : IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();
    private readonly SqliteVectorCache _cache;
    private readonly SqliteChunkWriter _writer;

    public SqliteChunkWriterTests()
    {
        _cache = new SqliteVectorCache(_index.Database, NullLogger.Instance);
        _writer = new SqliteChunkWriter(_index.Database, _cache);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _index.Dispose();
    }

    [Fact]
    public async Task CommitReplacement_BumpsTheVersionOnceAndCountsTheChunks()
    {
        await ReplaceAsync("a.md", 3);
        Assert.Equal(new ChunkIndexState(1, 3), await _index.ReadStateAsync());

        await ReplaceAsync("a.md", 1);
        Assert.Equal(new ChunkIndexState(2, 1), await _index.ReadStateAsync());

        await ReplaceAsync("b.md", 2);
        Assert.Equal(new ChunkIndexState(3, 3), await _index.ReadStateAsync());
    }

    [Fact]
    public async Task DeleteDocument_BumpsTheVersionAndUncountsItsChunks_AndAnUnknownOneChangesNothing()
    {
        await ReplaceAsync("a.md", 2);
        await ReplaceAsync("b.md", 1);

        await _writer.DeleteDocumentAsync(DocumentIds.ForSource("a.md"), CancellationToken.None);
        Assert.Equal(new ChunkIndexState(3, 1), await _index.ReadStateAsync());

        await _writer.DeleteDocumentAsync(DocumentIds.ForSource("missing.md"), CancellationToken.None);
        Assert.Equal(new ChunkIndexState(3, 1), await _index.ReadStateAsync());
    }

    [Fact]
    public async Task CommitReplacement_VectorsLoaded_TakesTheNewRowsAtTheNewVersion()
    {
        await ReplaceAsync("a.md", 2);
        var loaded = await _cache.GetAsync(CancellationToken.None);

        await ReplaceAsync("b.md", 3);
        await _writer.DeleteDocumentAsync(DocumentIds.ForSource("a.md"), CancellationToken.None);

        var vectors = await _cache.GetAsync(CancellationToken.None);
        Assert.Equal(loaded.Version + 2, vectors.Version);
        Assert.Equal((await _index.ReadStateAsync()).Version, vectors.Version);
        Assert.Equal(3, vectors.LiveRows);
        Assert.Equal(1, vectors.DocumentCount);
    }

    [Fact]
    public async Task CommitReplacement_VectorsNotLoaded_LeavesThemToTheFirstSearch()
    {
        await ReplaceAsync("a.md", 2);

        Assert.False(_cache.IsLoaded);
        Assert.Equal(2, (await _cache.GetAsync(CancellationToken.None)).LiveRows);
    }

    [Fact]
    public async Task CommitReplacement_VectorsOfAnotherLength_ThrowsAndLeavesTheVersion()
    {
        await ReplaceAsync("a.md", 2);
        var state = await _index.ReadStateAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => ReplaceAsync("b.md", 1, dimensions: 4));

        Assert.Equal(state, await _index.ReadStateAsync());
    }

    private async Task ReplaceAsync(string source, int chunks, int dimensions = TestVectors.Dimensions)
    {
        var documentId = DocumentIds.ForSource(source);
        var random = new Random(chunks);
        await using var replacement = new SqliteChunkReplacement(_writer, _index.Database, documentId);
        await replacement.AddAsync([.. Enumerable.Range(0, chunks).Select(ordinal => TestChunks.Create(source, ordinal, $"{source} chunk {ordinal}", TestVectors.Random(random, dimensions), []))]);
        await replacement.CommitAsync();
    }
}
