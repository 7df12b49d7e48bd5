using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class VectorSnapshotTests
{
    private static readonly ChunkOwner PublicOwner = new("doc-public", "public.md", []);
    private static readonly ChunkOwner HrOwner = new("doc-hr", "hr/leave.md", ["hr"]);

    [Fact]
    public void Search_ReturnsTopRowsByDotProduct_BestFirst()
    {
        var snapshot = VectorSnapshot.Create(1, Rows((PublicOwner, 1, [1f, 0f]), (PublicOwner, 2, [0.6f, 0.8f]), (PublicOwner, 3, [0f, 1f])));

        var rows = snapshot.Search([1f, 0f], snapshot.CreateAllowFlags(AccessScope.Unrestricted, null), 2, 1, default);

        Assert.Equal([new ScoredRow(1, 1f), new ScoredRow(2, 0.6f)], rows);
    }

    [Fact]
    public void Search_SkipsRowsTheScopeCannotRead()
    {
        var snapshot = VectorSnapshot.Create(1, Rows((PublicOwner, 1, [0f, 1f]), (HrOwner, 2, [1f, 0f])));

        Assert.Equal([1L], snapshot.Search([1f, 0f], snapshot.CreateAllowFlags(AccessScope.Public, null), 5, 1, default).Select(r => r.RowId));
        Assert.Equal([2L, 1L], snapshot.Search([1f, 0f], snapshot.CreateAllowFlags(AccessScope.ForGroups(["hr"]), null), 5, 1, default).Select(r => r.RowId));
        Assert.Equal([1L], snapshot.Search([1f, 0f], snapshot.CreateAllowFlags(AccessScope.ForGroups(["board"]), null), 5, 1, default).Select(r => r.RowId));
        Assert.Equal([2L], snapshot.Search([1f, 0f], snapshot.CreateAllowFlags(AccessScope.Unrestricted, s => s.StartsWith("hr/", StringComparison.Ordinal)), 5, 1, default).Select(r => r.RowId));
    }

    [Fact]
    public void WithDocument_HidesTheOldRowsAndAddsTheNew()
    {
        var snapshot = VectorSnapshot.Create(1, Rows((PublicOwner, 1, [1f, 0f]), (HrOwner, 2, [1f, 0f])));

        var updated = snapshot.WithDocument(2, "doc-public", Rows((PublicOwner, 3, [0f, 1f])));

        Assert.Equal(2, updated.Version);
        Assert.Equal(2, updated.LiveRows);
        Assert.Equal([2L, 3L], updated.Search([1f, 0f], updated.CreateAllowFlags(AccessScope.Unrestricted, null), 5, 1, default).Select(r => r.RowId));
        Assert.Equal([1L, 2L], snapshot.Search([1f, 0f], snapshot.CreateAllowFlags(AccessScope.Unrestricted, null), 5, 1, default).Select(r => r.RowId));
    }

    [Fact]
    public void Compaction_DropsDeadRowsAndKeepsResults()
    {
        var random = new Random(3);
        var snapshot = VectorSnapshot.Empty(0);
        var live = new Dictionary<string, (long RowId, float[] Vector)[]>();
        long rowId = 0;
        var compactions = 0;
        for (var version = 1; version <= 600; version++)
        {
            var documentId = $"doc-{random.Next(30)}";
            var owner = new ChunkOwner(documentId, documentId + ".md", version % 3 == 0 ? ["hr"] : []);
            var rows = Enumerable.Range(0, random.Next(0, 4)).Select(_ => (++rowId, TestVectors.Random(random, 4))).ToArray();
            var segmentsBefore = snapshot.SegmentCount;
            snapshot = snapshot.WithDocument(version, documentId, Rows([.. rows.Select(r => (owner, r.Item1, r.Item2))]));
            compactions += snapshot.SegmentCount <= 1 && segmentsBefore > 1 ? 1 : 0;
            live[documentId] = rows;
        }

        var query = TestVectors.Random(random, 4);
        var found = snapshot.Search(query, snapshot.CreateAllowFlags(AccessScope.Unrestricted, null), 20, 1, default);

        var expected = live.Values.SelectMany(r => r).OrderByDescending(r => TestVectors.Cosine(query, r.Vector)).Take(20).Select(r => r.RowId);
        Assert.True(compactions > 3, $"{compactions} compactions");
        Assert.Equal(expected, found.Select(r => r.RowId));
        Assert.Equal(live.Values.Sum(r => r.Length), snapshot.LiveRows);
        Assert.True(snapshot.TotalRows - snapshot.LiveRows <= (snapshot.TotalRows / 4) + 4);
    }

    [Fact]
    public void Search_SplitAcrossThreads_EqualsOneThread()
    {
        var random = new Random(5);
        var rows = VectorSnapshot.RowsPerPartition * 3;
        var builder = new VectorSegmentBuilder(8, rows);
        var slot = builder.AddOwner(PublicOwner);
        for (var i = 1; i <= rows; i++)
        {
            builder.Add(i, slot, TestVectors.Random(random));
        }

        var snapshot = VectorSnapshot.Create(1, builder);
        var query = TestVectors.Random(random);
        var flags = snapshot.CreateAllowFlags(AccessScope.Unrestricted, null);

        Assert.Equal(snapshot.Search(query, flags, 10, 1, default), snapshot.Search(query, flags, 10, 3, default));
    }

    [Fact]
    public void TryGetScore_FindsRowsInAnySegment()
    {
        var snapshot = VectorSnapshot.Create(1, Rows((PublicOwner, 1, [1f, 0f])))
            .WithDocument(2, "doc-hr", Rows((HrOwner, 5, [0f, 1f])));

        Assert.True(snapshot.TryGetScore(5, [0f, 1f], out var score));
        Assert.Equal(1f, score);
        Assert.False(snapshot.TryGetScore(3, [0f, 1f], out _));
    }

    [Fact]
    public void TopScores_EqualScores_PreferTheLowerRowId()
    {
        var top = new TopScores(2);
        top.Offer(0.5f, 9);
        top.Offer(0.5f, 3);
        top.Offer(0.5f, 7);
        top.Offer(0.1f, 1);

        Assert.Equal([new ScoredRow(3, 0.5f), new ScoredRow(7, 0.5f)], top.ToSortedArray());
    }

    private static VectorSegmentBuilder Rows(params (ChunkOwner Owner, long RowId, float[] Vector)[] rows)
    {
        var builder = new VectorSegmentBuilder(rows.Length == 0 ? 4 : rows[0].Vector.Length, rows.Length);
        var slots = new Dictionary<ChunkOwner, int>();
        foreach (var (owner, rowId, vector) in rows)
        {
            if (!slots.TryGetValue(owner, out var slot))
            {
                slot = builder.AddOwner(owner);
                slots.Add(owner, slot);
            }

            builder.Add(rowId, slot, vector);
        }

        return builder;
    }
}
