using Microsoft.ML.Tokenizers;
using Ragtune.Embedded.Embeddings;

namespace Ragtune.Embedded.Tests.Embeddings;

public sealed class MiniLmModelTests
{
    [Fact]
    public void CreateProfile_DescribesAllMiniLmL6V2()
    {
        var profile = MiniLmModel.CreateProfile();

        Assert.Equal("all-MiniLM-L6-v2", profile.ModelId);
        Assert.Equal(384, profile.Dimensions);
        Assert.Equal(256, profile.MaxInputTokens);
        Assert.Equal(2, profile.ReservedTokens);
        Assert.Equal(254, profile.MaxTextTokens);
        Assert.Equal(0.30f, profile.DefaultMinSimilarity);
    }

    [Theory]
    [InlineData("How many vacation days do new hires get?")]
    [InlineData("Café, naïve résumé — Zürich's über-cool façade!")]
    [InlineData("Tokenization of un-hyphenated, well-known ACRONYMS like HTTP/2 and e-mail: 3.14159 (approx.)")]
    [InlineData("東京都 and 北京 are capitals; emoji 🙂 and symbols ©®™ too.")]
    [InlineData("https://example.com/path?q=retrieval&lang=en#section-2")]
    [InlineData("")]
    [InlineData("   ")]
    public void ProfileTokenizer_CountsTheTokensTheModelReads_LessClsAndSep(string text)
    {
        using var generator = new MiniLmEmbeddingGenerator();

        var ids = generator.Tokenize(text);

        Assert.Equal(ids.Length - generator.Profile.ReservedTokens, generator.Profile.Tokenizer.CountTokens(text));
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
    }

    /// <summary>Expected ids from Hugging Face tokenizers (Rust, 0.23.2) with all-MiniLM-L6-v2's tokenizer settings and vocabulary.</summary>
    [Theory]
    [InlineData("line one\nline two\r\nthree\tfour", new[] { 101, 2240, 2028, 2240, 2048, 2093, 2176, 102 })]
    [InlineData("a = b + c < d ^ e | f ~ g $ h ± i € j", new[] { 101, 1037, 1027, 1038, 1009, 1039, 1026, 1040, 1034, 1041, 1064, 1042, 1066, 1043, 1002, 1044, 1081, 1045, 1574, 1046, 102 })]
    [InlineData("42±11 x²", new[] { 101, 4413, 29657, 14526, 1060, 10701, 102 })]
    [InlineData("Café, naïve résumé", new[] { 101, 7668, 1010, 15743, 13746, 102 })]
    [InlineData("“probability” and cd33’s", new[] { 101, 1523, 9723, 1524, 1998, 3729, 22394, 1521, 1055, 102 })]
    [InlineData("東京都 and 北京", new[] { 101, 1879, 1755, 1961, 1998, 1781, 1755, 102 })]
    [InlineData("zero\u200bwidth soft\u00adhyphen nul\u0000x", new[] { 101, 5717, 9148, 11927, 2232, 3730, 10536, 8458, 2368, 16371, 2140, 2595, 102 })]
    public void Tokenize_MatchesHuggingFaceBertUncased(string text, int[] expected)
    {
        using var generator = new MiniLmEmbeddingGenerator();

        Assert.Equal(expected, generator.Tokenize(text));
    }

    [Fact]
    public void Tokenize_LongInput_KeepsTheFirst254WordPiecesBetweenClsAndSep()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        var text = string.Join(' ', Enumerable.Range(0, 300).Select(i => $"word{i}"));
        var tokenizer = Assert.IsType<BertTokenizer>(generator.Profile.Tokenizer);
        var pieces = tokenizer.EncodeToIds(text, addSpecialTokens: false);

        var ids = generator.Tokenize(text);

        Assert.True(pieces.Count > 254);
        Assert.Equal(256, ids.Length);
        Assert.Equal(pieces.Take(254), ids[1..^1]);
    }

    [Theory]
    [InlineData(256, new[] { 256, 256, 256 }, "0|1|2")]
    [InlineData(256, new[] { 10, 200, 12, 100 }, "1|3|2,0")]
    [InlineData(256, new[] { 40, 39, 38, 37, 36, 35, 34, 33 }, "0,1,2,3,4,5|6,7")]
    [InlineData(256, new[] { 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16 }, "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15|16,17")]
    [InlineData(1, new[] { 5, 7, 6 }, "1|2|0")]
    public void Batch_GroupsNeighboursInLengthWithinTheTokenBudget_LongestFirst(int budget, int[] lengths, string expected)
    {
        var inputs = lengths.Select(length => new int[length]).ToArray();

        var batches = MiniLmEmbeddingGenerator.Batch(inputs, budget);

        Assert.Equal(expected, string.Join('|', batches.Select(batch => string.Join(',', batch))));
    }
}
