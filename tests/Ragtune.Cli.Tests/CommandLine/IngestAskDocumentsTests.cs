using System.Text.Json;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.Contract;
using Ragtune.Testing;
using Xunit.Abstractions;

namespace Ragtune.Cli.Tests.CommandLine;

/// <summary><c>ragtune ingest</c>, <c>ask</c> and <c>documents</c> on one folder with good, broken and unsupported files.</summary>
public sealed class IngestAskDocumentsTests(IngestedFolderFixture fixture, ITestOutputHelper output) : IClassFixture<IngestedFolderFixture>
{
    [Fact]
    public void Ingest_FolderWithBrokenFiles_ExitsOneAndListsEachFailureWithItsReason()
    {
        output.WriteLine(fixture.Ingest.Output);

        Assert.Equal(ExitCodes.Failure, fixture.Ingest.ExitCode);
        Assert.Contains("2 indexed", fixture.Ingest.Output, StringComparison.Ordinal);
        Assert.Contains("2 failed", fixture.Ingest.Output, StringComparison.Ordinal);
        Assert.Matches(@"empty\.txt\s*│\s*the file has no text", fixture.Ingest.Output);
        Assert.Matches(@"scan\.pdf\s*│\s*not a PDF file", fixture.Ingest.Output);
        Assert.Contains("skipped (not a supported type): photo.xyz", fixture.Ingest.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_AfterAnIngestWithFailures_AnswersFromTheGoodDocuments()
    {
        var run = await RagtuneCommand.RunAsync("ask", "How long is the warranty on the Quillfeather frame?", "--data", fixture.Data.Path, "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var answer = json.RootElement;
        ApiShapes.AssertAnswer(answer);
        Assert.True(answer.GetProperty("grounded").GetBoolean());
        Assert.Equal("warranty.md", answer.GetProperty("citations")[0].GetProperty("source").GetString());
        Assert.Contains("eleven years", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_DocumentInASubfolder_IsCitedByItsRelativePath()
    {
        var run = await RagtuneCommand.RunAsync("ask", "When does a Quillfeather e-bike need its first service?", "--data", fixture.Data.Path, "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("service/intervals.txt", json.RootElement.GetProperty("citations")[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task Ask_WithoutJson_PrintsTheAnswerAndItsCitations()
    {
        var run = await RagtuneCommand.RunAsync("ask", "How long is the warranty on the Quillfeather frame?", "--data", fixture.Data.Path);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("eleven years", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\[1\]\s*│\s*warranty\.md\s*│\s*1\s*│", run.Output);
        Assert.Contains("grounded True", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documents_Json_PrintsTheApiBody()
    {
        var run = await RagtuneCommand.RunAsync("documents", "--data", fixture.Data.Path, "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var documents = ApiShapes.AssertDocuments(json.RootElement).ToDictionary(d => d.GetProperty("source").GetString()!, StringComparer.Ordinal);
        Assert.Equal(["empty.txt", "scan.pdf", "service/intervals.txt", "warranty.md"], documents.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("indexed", documents["warranty.md"].GetProperty("status").GetString());
        Assert.Equal("indexed", documents["service/intervals.txt"].GetProperty("status").GetString());
        Assert.Equal("the file has no text", documents["empty.txt"].GetProperty("error").GetString());
        Assert.Equal("not a PDF file", documents["scan.pdf"].GetProperty("error").GetString());
    }

    [Fact]
    public async Task Ingest_UnchangedFolder_ReportsUnchangedAndEmbedsNothing()
    {
        var run = await RagtuneCommand.RunAsync("ingest", fixture.Documents.Path, "--data", fixture.Data.Path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("0 indexed (0 chunks, 0 embedded", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 unchanged", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 failed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_UnsupportedFileNamedOnTheCommandLine_FailsWithItsReason()
    {
        using var data = new TempDirectory();

        var run = await RagtuneCommand.RunAsync("ingest", fixture.Documents.Combine("photo.xyz"), "--data", data.Path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("0 indexed", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"photo\.xyz\s*│\s*unsupported file type '\.xyz'", run.Output);
    }
}
