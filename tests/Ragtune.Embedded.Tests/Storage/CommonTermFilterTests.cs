using System.Globalization;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class CommonTermFilterTests : IDisposable
{
    private const int Chunks = 150;
    private static readonly float[] Question = TestVectors.Of(1f);

    // Common words are in more than 100 chunks: "everywhere" (150), "alpha" (0-119), "beta" (40-149); "rare" is in 3.
    private readonly TestIndex _index = TestIndex.Create(options => options.CommonTermChunks = 100);

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Keyword_CommonWordBesideRarerOnes_IsLeftOut()
    {
        await LoadAsync();

        var hits = await _index.SearchAsync(SearchMode.Keyword, "everywhere rare", Question, top: 50);

        Assert.Equal(["chunk 0", "chunk 100", "chunk 50"], hits.Select(h => Label(h.Chunk.Text)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Keyword_OnlyCommonWords_MustMatchThemAll()
    {
        await LoadAsync();

        var hits = await _index.SearchAsync(SearchMode.Keyword, "alpha beta", Question, top: 100);

        Assert.Equal(80, hits.Count);
        Assert.All(hits, h => Assert.Contains("alpha beta", h.Chunk.Text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("everywhere")]
    [InlineData("everywhere alpha")]
    public async Task Keyword_CommonWordsInTooManyChunks_FindNothing(string text)
    {
        await LoadAsync();

        Assert.Empty(await _index.SearchAsync(SearchMode.Keyword, text, Question));
        Assert.Equal(10, (await _index.SearchAsync(SearchMode.Hybrid, text, Question)).Count);
    }

    [Fact]
    public async Task Keyword_WordNoLongerCommon_CountsAgainAfterAChange()
    {
        await LoadAsync();
        Assert.Empty(await _index.SearchAsync(SearchMode.Keyword, "everywhere", Question));

        for (var i = 0; i < 60; i++)
        {
            await _index.Index.DeleteDocumentAsync(DocumentIds.ForSource(Source(i)));
        }

        Assert.Equal(90, (await _index.SearchAsync(SearchMode.Keyword, "everywhere", Question, top: 100)).Count);
    }

    private static string Source(int i) => string.Create(CultureInfo.InvariantCulture, $"doc-{i}.md");

    private static string Label(string text) => string.Join(' ', text.Split(' ').Take(2));

    private async Task LoadAsync()
    {
        for (var i = 0; i < Chunks; i++)
        {
            var words = new List<string> { string.Create(CultureInfo.InvariantCulture, $"chunk {i} everywhere") };
            if (i < 120)
            {
                words.Add("alpha");
            }

            if (i >= 40)
            {
                words.Add(i < 120 ? "beta" : "only beta");
            }

            if (i % 50 == 0)
            {
                words.Add("rare");
            }

            await _index.ReplaceAsync(Source(i), [(string.Join(' ', words), TestVectors.Random(new Random(i)))]);
        }
    }
}
