using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteChunkIndexSearchTests : IDisposable
{
    private static readonly float[] Question = TestVectors.Of(1f, 0.1f);

    private static readonly (string Source, string Text, float[] Vector)[] Corpus =
    [
        ("handbook/benefits.md", "New hires accrue twenty vacation days per year.", TestVectors.Of(1f, 0.2f)),
        ("handbook/benefits.md", "Health insurance starts on the first day of work.", TestVectors.Of(0.2f, 1f)),
        ("handbook/travel.md", "Travel expenses are reimbursed within thirty days.", TestVectors.Of(0.5f, 0.5f, 0.7f)),
        ("policies/security.md", "Passwords rotate every ninety days; vacation does not pause the rotation.", TestVectors.Of(0.1f, 0f, 0f, 1f)),
        ("policies/security.md", "Report lost laptops to the service desk at once.", TestVectors.Of(-0.3f, 0.4f, 0f, 0.6f, 0.2f)),
    ];

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Vector_ReturnsNearestChunksInOrder_WithExactCosine()
    {
        await LoadCorpusAsync();

        var hits = await _index.SearchAsync(SearchMode.Vector, "", Question);

        var expected = Corpus.OrderByDescending(c => TestVectors.Cosine(Question, c.Vector)).ToArray();
        Assert.Equal(expected.Select(c => c.Text), hits.Select(h => h.Chunk.Text));
        for (var i = 0; i < hits.Count; i++)
        {
            Assert.Equal(TestVectors.Cosine(Question, expected[i].Vector), hits[i].Similarity, 5);
            Assert.Equal(hits[i].Similarity, hits[i].Score, 6);
        }
    }

    [Fact]
    public async Task Vector_HitsCarryTheStoredChunk()
    {
        await LoadCorpusAsync();

        var hit = (await _index.SearchAsync(SearchMode.Vector, "", Question, top: 1)).Single();

        var documentId = DocumentIds.ForSource("handbook/benefits.md");
        Assert.Equal(DocumentIds.ForChunk(documentId, 0), hit.Chunk.ChunkId);
        Assert.Equal(documentId, hit.Chunk.DocumentId);
        Assert.Equal("handbook/benefits.md", hit.Chunk.Source);
        Assert.Equal(0, hit.Chunk.Ordinal);
        Assert.Equal(1, hit.Chunk.Page);
        Assert.Equal(DocumentIds.ContentHash(hit.Chunk.Text), hit.Chunk.ContentHash);
        Assert.Empty(hit.Chunk.Groups);
        Assert.Equal(1.0, TestVectors.Cosine(hit.Chunk.Vector.ToArray(), Corpus[0].Vector), 5);
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Search_HonoursTop(SearchMode mode)
    {
        await LoadCorpusAsync();

        var hits = await _index.SearchAsync(mode, "days vacation work", Question, top: 2);

        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public async Task Keyword_RanksByBm25_AndCarriesExactCosine()
    {
        await LoadCorpusAsync();

        var hits = await _index.SearchAsync(SearchMode.Keyword, "vacation days", Question);

        // The two chunks with both words come first; "days" alone (stemmed, so "day" too) matches two more.
        Assert.Equal(4, hits.Count);
        Assert.Equal(
            ["New hires accrue twenty vacation days per year.", "Passwords rotate every ninety days; vacation does not pause the rotation."],
            hits.Take(2).Select(h => h.Chunk.Text).Order(StringComparer.Ordinal));
        Assert.True(hits[1].Score > hits[2].Score);
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Chunk.ChunkId), hits.Select(h => h.Chunk.ChunkId));
        foreach (var hit in hits)
        {
            var vector = Corpus.Single(c => c.Text == hit.Chunk.Text).Vector;
            Assert.Equal(TestVectors.Cosine(Question, vector), hit.Similarity, 5);
        }
    }

    [Theory]
    [InlineData("rotating passwords", "Passwords rotate every ninety days; vacation does not pause the rotation.")]
    [InlineData("REIMBURSEMENT", "Travel expenses are reimbursed within thirty days.")]
    [InlineData("insurancé", "Health insurance starts on the first day of work.")]
    public async Task Keyword_StemsFoldsCaseAndDiacritics(string text, string expected)
    {
        await LoadCorpusAsync();

        var hits = await _index.SearchAsync(SearchMode.Keyword, text, Question);

        Assert.Equal(expected, hits[0].Chunk.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!... --- ;;")]
    public async Task Keyword_TextWithoutWords_FindsNothing(string text)
    {
        await LoadCorpusAsync();

        Assert.Empty(await _index.SearchAsync(SearchMode.Keyword, text, Question));
    }

    [Fact]
    public async Task Hybrid_TextWithoutWords_IsTheVectorRanking()
    {
        await LoadCorpusAsync();

        var hits = await _index.SearchAsync(SearchMode.Hybrid, "?!", Question);

        var expected = Corpus.OrderByDescending(c => TestVectors.Cosine(Question, c.Vector)).Select(c => c.Text);
        Assert.Equal(expected, hits.Select(h => h.Chunk.Text));

        // The default fusion scales the vector list's best to 1, times its weight; nothing comes from the keyword list.
        Assert.Equal(new SqliteStorageOptions().VectorWeight, hits[0].Score, 12);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(vacation days, 2)")]
    [InlineData("a OR")]
    [InlineData("OR AND NOT")]
    [InlineData("*")]
    [InlineData("vacat*")]
    [InlineData("-")]
    [InlineData("-vacation")]
    [InlineData(":")]
    [InlineData("text:vacation")]
    [InlineData(")")]
    [InlineData("(vacation")]
    [InlineData("^days")]
    [InlineData("{text} : days")]
    [InlineData("\"vacation days")]
    [InlineData("vacation\" OR \"x")]
    [InlineData("'; DROP TABLE chunks; --")]
    [InlineData("\u0301\u0301")]
    [InlineData("🙂 days 🙂")]
    public async Task Search_UserTextWithQuerySyntax_DoesNotThrow(string text)
    {
        await LoadCorpusAsync();

        await _index.SearchAsync(SearchMode.Keyword, text, Question);
        var hybrid = await _index.SearchAsync(SearchMode.Hybrid, text, Question);

        Assert.Equal(Corpus.Length, hybrid.Count);
        Assert.Equal(Corpus.Length, (await _index.SearchAsync(SearchMode.Vector, "", Question)).Count);
    }

    [Fact]
    public async Task Hybrid_FusesRanksReciprocally_HandChecked()
    {
        // Vector ranking for (1, 0): A (0.995), B (0.894), C (0.707), D (0). Keyword ranking for "zeta": C, A.
        _index.Dispose();
        using var index = TestIndex.Create(options =>
        {
            options.HybridFusion = HybridFusion.ReciprocalRank;
            options.RankFusionK = 60;
            options.KeywordWeight = options.VectorWeight = 1;
        });
        var query = TestVectors.Of(1f);
        await LoadZetaCorpusAsync(index);

        var hits = await index.SearchAsync(SearchMode.Hybrid, "zeta", query);

        // A: 1/61 + 1/62, C: 1/63 + 1/61, B: 1/62, D: 1/64.
        Assert.Equal(["a.md", "c.md", "b.md", "d.md"], hits.Select(h => h.Chunk.Source));
        Assert.Equal((1.0 / 61) + (1.0 / 62), hits[0].Score, 12);
        Assert.Equal((1.0 / 63) + (1.0 / 61), hits[1].Score, 12);
        Assert.Equal(1.0 / 62, hits[2].Score, 12);
        Assert.Equal(1.0 / 64, hits[3].Score, 12);
        Assert.Equal(TestVectors.Cosine(query, TestVectors.Of(1f, 1f)), hits[1].Similarity, 5);
        Assert.Equal(0.0, hits[3].Similarity, 6);
    }

    [Fact]
    public async Task Hybrid_FusesNormalizedScores_HandChecked()
    {
        // Scaled over the first 2 of each list. Vector: A (0.995) 1, B (0.894, the floor) 0, C and D below it 0.
        // Keyword for "zeta": C 1, A (the floor) 0. Weighted 0.6 and 0.4: A 0.6, C 0.4, then B and D at 0, closer first.
        _index.Dispose();
        using var index = TestIndex.Create(options =>
        {
            options.HybridFusion = HybridFusion.NormalizedScore;
            options.HybridCandidates = 2;
            options.VectorWeight = 0.6;
            options.KeywordWeight = 0.4;
        });
        var query = TestVectors.Of(1f);
        await LoadZetaCorpusAsync(index);

        var hits = await index.SearchAsync(SearchMode.Hybrid, "zeta", query);

        Assert.Equal(["a.md", "c.md", "b.md", "d.md"], hits.Select(h => h.Chunk.Source));
        Assert.Equal([0.6, 0.4, 0.0, 0.0], hits.Select(h => Math.Round(h.Score, 12)));
        Assert.Equal(TestVectors.Cosine(query, TestVectors.Of(1f, 1f)), hits[1].Similarity, 5);
    }

    [Fact]
    public async Task Hybrid_RankFusionK_IsConfigurable()
    {
        _index.Dispose();
        using var index = TestIndex.Create(options =>
        {
            options.HybridFusion = HybridFusion.ReciprocalRank;
            options.RankFusionK = 1;
            options.KeywordWeight = options.VectorWeight = 1;
        });
        await index.ReplaceAsync("a.md", [("zeta and other words", TestVectors.Of(1f, 0.1f))]);
        await index.ReplaceAsync("c.md", [("zeta zeta zeta", TestVectors.Of(1f, 1f))]);

        var hits = await index.SearchAsync(SearchMode.Hybrid, "zeta", TestVectors.Of(1f));

        Assert.Equal(["a.md", "c.md"], hits.Select(h => h.Chunk.Source));
        Assert.Equal((1.0 / 2) + (1.0 / 3), hits[0].Score, 12);
        Assert.Equal((1.0 / 3) + (1.0 / 2), hits[1].Score, 12);
    }

    [Fact]
    public async Task Hybrid_KeywordOnlyHit_CarriesExactCosine()
    {
        // Top 2 takes 8 candidates per list: nine fillers push the keyword match (far from the question) out of the
        // vector list, and it enters through the keyword list alone.
        _index.Dispose();
        using var index = TestIndex.Create(options =>
        {
            options.HybridFusion = HybridFusion.ReciprocalRank;
            options.RankFusionK = 60;
            options.KeywordWeight = options.VectorWeight = 1;
            options.HybridCandidates = 1;
        });
        var query = TestVectors.Of(1f);
        for (var i = 0; i < 9; i++)
        {
            await index.ReplaceAsync($"filler-{i}.md", [($"filler text {i}", TestVectors.Of(1f, 0.1f * (i + 1)))]);
        }

        var far = TestVectors.Of(-1f, 0.3f);
        await index.ReplaceAsync("omega.md", [("omega appears only here", far)]);

        var hits = await index.SearchAsync(SearchMode.Hybrid, "omega", query, top: 2);

        // filler-0 and omega tie at 1/61; the closer one wins the tie.
        Assert.Equal(["filler-0.md", "omega.md"], hits.Select(h => h.Chunk.Source));
        Assert.Equal(1.0 / 61, hits[1].Score, 12);
        Assert.Equal(TestVectors.Cosine(query, far), hits[1].Similarity, 5);
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Search_QueryVectorOfOtherDimensions_Throws(SearchMode mode)
    {
        await LoadCorpusAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _index.SearchAsync(mode, "vacation", [1f, 0f, 0f]));
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Search_WithoutQueryVector_Throws(SearchMode mode)
    {
        await LoadCorpusAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _index.SearchAsync(mode, "vacation", []));
    }

    [Fact]
    public async Task Search_TopBelowOne_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _index.SearchAsync(SearchMode.Vector, "", Question, top: 0));
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Search_EmptyIndex_FindsNothing(SearchMode mode)
    {
        Assert.Empty(await _index.SearchAsync(mode, "vacation", Question));
    }

    [Fact]
    public async Task Search_AfterReopeningTheFile_FindsTheSameChunks()
    {
        await LoadCorpusAsync();
        var before = await _index.SearchAsync(SearchMode.Hybrid, "vacation days", Question);
        using var reopened = _index.OpenSecond();

        var after = await reopened.SearchAsync(SearchMode.Hybrid, "vacation days", Question);

        Assert.Equal(before.Select(h => (h.Chunk.ChunkId, h.Similarity, h.Score)), after.Select(h => (h.Chunk.ChunkId, h.Similarity, h.Score)));
    }

    private async Task LoadCorpusAsync()
    {
        foreach (var document in Corpus.GroupBy(c => c.Source))
        {
            await _index.ReplaceAsync(document.Key, [.. document.Select(c => (c.Text, c.Vector))]);
        }
    }

    private static async Task LoadZetaCorpusAsync(TestIndex index)
    {
        await index.ReplaceAsync("a.md", [("zeta is one word among several other words here", TestVectors.Of(1f, 0.1f))]);
        await index.ReplaceAsync("b.md", [("nothing to see", TestVectors.Of(1f, 0.5f))]);
        await index.ReplaceAsync("c.md", [("zeta zeta zeta", TestVectors.Of(1f, 1f))]);
        await index.ReplaceAsync("d.md", [("nothing at all", TestVectors.Of(0f, 1f))]);
    }
}
