using Ragtune.Core.Api;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;

namespace Ragtune.Core.Tests.Api;

public sealed class AskRequestTests
{
    private static readonly ApiLimitsOptions Limits = new() { MaxQuestionLength = 100, MaxHistoryTurns = 2 };

    [Fact]
    public void Validate_OnlyAQuestion_UsesTheDefaults()
    {
        var result = new AskRequest("  How many days?  ").Validate(Limits, new RetrievalOptions(), AccessScope.Public);

        Assert.True(result.Succeeded);
        Assert.Equal("How many days?", result.Value.Question);
        Assert.Equal(SearchMode.Hybrid, result.Value.Mode);
        Assert.Equal(5, result.Value.Top);
        Assert.Null(result.Value.MinSimilarity);
        Assert.Same(AccessScope.Public, result.Value.Filter.Access);
    }

    [Theory]
    [InlineData(null, "question")]
    [InlineData("   ", "question")]
    public void Validate_MissingOrEmptyQuestion_IsInvalid(string? question, string field)
    {
        var result = new AskRequest(question).Validate(Limits, new RetrievalOptions(), AccessScope.Public);

        Assert.False(result.Succeeded);
        Assert.Equal(400, result.Problem.Status);
        Assert.True(result.Problem.Errors!.ContainsKey(field));
    }

    [Fact]
    public void Validate_EveryBadField_IsNamed()
    {
        var request = new AskRequest(
            new string('x', 101),
            History: [new AskHistoryTurn("system", "x"), new AskHistoryTurn("user", "")],
            Top: 0,
            MinSimilarity: 2,
            Mode: "semantic",
            Filter: new AskFilter([""]));

        var result = request.Validate(Limits, new RetrievalOptions(), AccessScope.Public);

        Assert.Equal(
            ["filter.sources", "history[0].role", "history[1].content", "minSimilarity", "mode", "question", "top"],
            result.Problem!.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("invalid-request", result.Problem.Code);
    }

    [Fact]
    public void Validate_TooManyHistoryTurns_IsInvalid()
    {
        var turns = Enumerable.Repeat(new AskHistoryTurn("user", "hi"), 3).ToList();

        var result = new AskRequest("q", History: turns).Validate(Limits, new RetrievalOptions(), AccessScope.Public);

        Assert.True(result.Problem!.Errors!.ContainsKey("history"));
    }

    [Theory]
    [InlineData("vector", SearchMode.Vector)]
    [InlineData("keyword", SearchMode.Keyword)]
    [InlineData("hybrid", SearchMode.Hybrid)]
    public void Validate_KnownModes_AreParsed(string mode, SearchMode expected)
    {
        var result = new AskRequest("q", Mode: mode, Top: 50, Filter: new AskFilter(["handbook/*.pdf"])).Validate(Limits, new RetrievalOptions(), AccessScope.Public);

        Assert.Equal(expected, result.Value!.Mode);
        Assert.Equal(50, result.Value.Top);
        Assert.Equal(["handbook/*.pdf"], result.Value.Filter.SourcePatterns);
    }

    [Theory]
    [InlineData(SourceGlob.MaxPatternLength + 1)]
    [InlineData(1024)]
    [InlineData(1025)]
    public void Validate_SourcePatternLongerThanTheGlobTakes_IsInvalidWithTheLimit(int length)
    {
        var result = new AskRequest("q", Filter: new AskFilter([new string('a', length)])).Validate(Limits, new RetrievalOptions(), AccessScope.Public);

        Assert.False(result.Succeeded);
        var message = Assert.Single(result.Problem.Errors!["filter.sources"]);
        Assert.Contains($"1 to {SourceGlob.MaxPatternLength} characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SourcePatternOfTheLongestLength_IsAPatternTheGlobTakes()
    {
        var pattern = new string('a', SourceGlob.MaxPatternLength);

        var result = new AskRequest("q", Filter: new AskFilter([pattern])).Validate(Limits, new RetrievalOptions(), AccessScope.Public);

        Assert.True(result.Succeeded);
        Assert.False(SourceGlob.CreateMatcher(result.Value.Filter.SourcePatterns)("b"));
    }
}
