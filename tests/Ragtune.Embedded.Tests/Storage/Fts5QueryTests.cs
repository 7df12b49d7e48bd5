using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class Fts5QueryTests
{
    [Theory]
    [InlineData("vacation days", "\"vacation\" OR \"days\"")]
    [InlineData("  How many vacation-days?  ", "\"How\" OR \"many\" OR \"vacation\" OR \"days\"")]
    [InlineData("NEAR(a b)", "\"NEAR\" OR \"a\" OR \"b\"")]
    [InlineData("text:\"x\" OR y*", "\"text\" OR \"x\" OR \"OR\" OR \"y\"")]
    [InlineData("Days days DAYS", "\"Days\"")]
    [InlineData("naïve café", "\"naïve\" OR \"café\"")]
    [InlineData("e\u0301t\u00e9 2024", "\"e\u0301t\u00e9\" OR \"2024\"")]
    [InlineData("数据 库", "\"数据\" OR \"库\"")]
    public void FromText_QuotesEveryWordAndJoinsWithOr(string text, string expected)
    {
        Assert.Equal(expected, Fts5Query.FromText(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \t ")]
    [InlineData("\"")]
    [InlineData("*-:()^{}")]
    [InlineData("\u0301")]
    [InlineData("🙂")]
    public void FromText_NoWord_IsNull(string? text)
    {
        Assert.Null(Fts5Query.FromText(text));
    }

    [Fact]
    public void AnyAndAll_JoinTerms()
    {
        var terms = Fts5Query.Terms("vacation days");

        Assert.Equal("\"vacation\" OR \"days\"", Fts5Query.Any(terms));
        Assert.Equal("\"vacation\" AND \"days\"", Fts5Query.All(terms));
    }

    [Fact]
    public void FromText_ManyWords_KeepsTheFirstDistinctOnes()
    {
        var text = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));

        var query = Fts5Query.FromText(text)!;

        Assert.Equal(Fts5Query.MaxTerms, query.Split(" OR ").Length);
        Assert.StartsWith("\"w0\" OR \"w1\"", query, StringComparison.Ordinal);
    }
}
