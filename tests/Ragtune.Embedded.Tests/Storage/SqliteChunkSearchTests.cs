using Microsoft.Extensions.Logging.Abstractions;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>The search of each mode at one index version, and the hybrid fusion as a function.</summary>
public sealed class SqliteChunkSearchTests : IDisposable
{
    private static readonly float[] Query = [1f, 0f];
    private static readonly SqliteStorageOptions ReciprocalRank = new() { HybridFusion = HybridFusion.ReciprocalRank, RankFusionK = 10 };

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public void Fuse_EqualScores_PutTheCloserChunkFirst_ThenTheLowerRowId()
    {
        var vectors = Snapshot((1, [0.8f, 0.2f]), (2, [0.9f, 0.1f]), (3, [0.5f, 0.5f]), (4, [0.5f, 0.5f]));

        // Rows 2 and 1 swap ranks between the lists (equal sums), row 2 the closer; rows 4 and 3 too, at equal similarity.
        var ranked = SqliteChunkSearch.Fuse(
            ReciprocalRank,
            vectors,
            Request(top: 10),
            [new(2, 0.9f), new(1, 0.8f), new(4, 0.5f), new(3, 0.5f)],
            [new(1, 9f), new(2, 8f), new(3, 7f), new(4, 6f)]);

        Assert.Equal([2L, 1L, 3L, 4L], ranked.Select(row => row.RowId));
        Assert.Equal(ranked[0].Score, ranked[1].Score);
        Assert.Equal(ranked[2].Score, ranked[3].Score);
    }

    [Fact]
    public void Fuse_KeywordOnlyRow_TakesItsSimilarityFromTheVectors_AndTheTopIsKept()
    {
        var vectors = Snapshot((1, [1f, 0f]), (2, [0.6f, 0.8f]), (3, [0f, 1f]));

        var ranked = SqliteChunkSearch.Fuse(ReciprocalRank, vectors, Request(top: 2), [new(1, 1f)], [new(2, 5f), new(3, 4f)]);

        Assert.Equal([new RankedRow(1, 1f, 0.5 / 11), new RankedRow(2, 0.6f, 0.5 / 11)], ranked);
    }

    [Fact]
    public void Fuse_KeywordRowMissingFromTheVectors_Throws()
    {
        var vectors = Snapshot((1, [1f, 0f]));

        Assert.Throws<InvalidOperationException>(() => SqliteChunkSearch.Fuse(ReciprocalRank, vectors, Request(top: 2), [new(1, 1f)], [new(7, 5f)]));
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task SearchAsync_VectorsBehindTheFile_CatchUpAndSeeTheNewVersion(SearchMode mode)
    {
        using var cache = new SqliteVectorCache(_index.Database, NullLogger.Instance);
        var search = new SqliteChunkSearch(_index.Database, cache, new SqliteKeywordSearch(_index.Options.CommonTermChunks), _index.Options);
        await _index.ReplaceAsync("a.md", [("alpha words", TestVectors.Of(1f))]);
        Assert.Single(await search.SearchAsync(FileRequest(mode), CancellationToken.None));

        // Written through the index's own cache: for this one, another process's commit.
        await _index.ReplaceAsync("b.md", [("beta words", TestVectors.Of(1f, 1f))]);
        var hits = await search.SearchAsync(FileRequest(mode), CancellationToken.None);

        Assert.Equal(["a.md", "b.md"], hits.Select(hit => hit.Chunk.Source).Order(StringComparer.Ordinal));
        if (mode != SearchMode.Keyword)
        {
            Assert.Equal((await _index.ReadStateAsync()).Version, (await cache.GetAsync(CancellationToken.None)).Version);
        }
    }

    private static ChunkSearchRequest Request(int top) =>
        ChunkSearchRequest.From(new ChunkQuery(SearchMode.Hybrid, "words", Query, top, ChunkFilter.Unrestricted));

    private static ChunkSearchRequest FileRequest(SearchMode mode) =>
        ChunkSearchRequest.From(new ChunkQuery(mode, "words", TestVectors.Of(1f), 10, ChunkFilter.Unrestricted));

    private static VectorSnapshot Snapshot(params (long RowId, float[] Vector)[] rows)
    {
        var builder = new VectorSegmentBuilder(2, rows.Length);
        var slot = builder.AddOwner(new ChunkOwner("doc", "doc.md", []));
        foreach (var (rowId, vector) in rows)
        {
            builder.Add(rowId, slot, vector);
        }

        return VectorSnapshot.Create(1, builder);
    }
}
