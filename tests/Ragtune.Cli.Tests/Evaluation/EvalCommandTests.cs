using System.Text.Json;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.CommandLine;

namespace Ragtune.Cli.Tests.Evaluation;

/// <summary><c>ragtune eval</c> over a slice of SciFact with the real MiniLM model and SQLite index.</summary>
public sealed class EvalCommandTests(SciFactSliceFixture slice) : IClassFixture<SciFactSliceFixture>
{
    private static readonly string[] Measures = ["ndcg@10", "recall@10", "recall@100", "mrr@10"];

    [Fact]
    public void Json_HasEachModeWithTheFourMeasures()
    {
        Assert.Equal(ExitCodes.Success, slice.FirstRun.ExitCode);
        using var json = JsonDocument.Parse(slice.FirstRun.Output);

        Assert.Equal(["vector", "keyword", "hybrid"], json.RootElement.EnumerateObject().Select(mode => mode.Name));
        foreach (var mode in json.RootElement.EnumerateObject())
        {
            Assert.Equal(Measures, mode.Value.EnumerateObject().Select(measure => measure.Name));
            Assert.All(mode.Value.EnumerateObject(), measure => Assert.InRange(measure.Value.GetDouble(), 0.0, 1.0));
        }
    }

    [Fact]
    public void Json_SliceScores_AreThoseOfAWorkingRetriever()
    {
        using var json = JsonDocument.Parse(slice.FirstRun.Output);
        double Score(string mode, string measure) => json.RootElement.GetProperty(mode).GetProperty(measure).GetDouble();

        // 30 queries over 150 documents: every mode finds most judged documents, and fusion does not lose to either list.
        Assert.All(["vector", "keyword", "hybrid"], mode => Assert.InRange(Score(mode, "ndcg@10"), 0.6, 1.0));
        Assert.All(["vector", "keyword", "hybrid"], mode => Assert.InRange(Score(mode, "recall@100"), 0.9, 1.0));
        Assert.True(Score("hybrid", "ndcg@10") >= Math.Min(Score("vector", "ndcg@10"), Score("keyword", "ndcg@10")));
    }

    [Fact]
    public async Task KeptIndex_SecondRun_EmbedsNothingAndScoresTheSame()
    {
        var run = await RagtuneCommand.RunAsync(slice.Arguments("--mode", "hybrid"));

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains(" chunks (0 embedded by this run)", run.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(slice.FirstRun.Output);
        var ndcg = json.RootElement.GetProperty("hybrid").GetProperty("ndcg@10").GetDouble();
        Assert.Contains($"│ hybrid │ {ndcg:0.000}", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--mode", "fuzzy")]
    [InlineData("--k", "0")]
    public async Task BadOption_ExitsTwo(string option, string value)
    {
        var run = await RagtuneCommand.RunAsync(slice.Arguments(option, value));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public async Task MissingQrels_ExitsTwo()
    {
        var run = await RagtuneCommand.RunAsync("eval", "--corpus", slice.Corpus, "--queries", slice.Queries);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--qrels", run.Output, StringComparison.Ordinal);
    }
}
