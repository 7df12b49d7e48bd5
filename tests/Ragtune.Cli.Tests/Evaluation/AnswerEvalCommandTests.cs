using System.Text.Json;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Evaluation;

/// <summary><c>ragtune eval --questions F --docs DIR</c> with the extractive answerer, over two small documents.</summary>
public sealed class AnswerEvalCommandTests : IDisposable
{
    private readonly TempDirectory _documents = new();
    private readonly TempDirectory _files = new();

    [Fact]
    public async Task Questions_CitedPagesFoundAndAnswersScored()
    {
        _documents.WriteFile("warranty.md", "# Warranty\n\nThe Quillfeather e-bike frame carries a warranty of eleven years from the date of purchase.\n");
        _documents.WriteFile("service.txt", "Service intervals\n\nA Quillfeather e-bike needs its first service after 500 kilometres.\n");
        var truth = _files.WriteFile("truth.jsonl", """
            {"question": "How long is the frame warranty of the Quillfeather e-bike?", "truth": "The frame carries a warranty of eleven years from the date of purchase. [warranty.md#page=1]"}
            {"question": "When does a Quillfeather e-bike need its first service?", "truth": "After 500 kilometres. [service.txt#page=1]"}
            """);

        var run = await RagtuneCommand.RunAsync("eval", "--questions", truth, "--docs", _documents.Path, "--k", "1", "--mode", "hybrid", "--json", "--Ragtune:Chat:Provider=extractive");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var hybrid = json.RootElement.GetProperty("hybrid");
        Assert.Equal(1.0, hybrid.GetProperty("cited-page@1").GetDouble());
        Assert.InRange(hybrid.GetProperty("token-f1").GetDouble(), 0.3, 1.0);
        Assert.False(string.IsNullOrEmpty(hybrid.GetProperty("model").GetString()));
    }

    [Fact]
    public async Task QuestionsWithoutDocs_ExitsTwo()
    {
        var truth = _files.WriteFile("truth.jsonl", "{\"question\": \"q\", \"truth\": \"t\"}\n");

        var run = await RagtuneCommand.RunAsync("eval", "--questions", truth);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--docs", run.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _documents.Dispose();
        _files.Dispose();
    }
}
