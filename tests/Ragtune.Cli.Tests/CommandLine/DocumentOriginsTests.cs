using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.Http;
using Ragtune.Testing;
using Ragtune.Testing.Logging;

namespace Ragtune.Cli.Tests.CommandLine;

/// <summary>
/// Documents of several origins in one data folder: README's own sequence (<c>ingest</c> a folder, then <c>serve</c>
/// the samples), <c>remove</c>, and <c>ingest</c> / <c>export</c> in another process while <c>serve</c> runs.
/// </summary>
public sealed class DocumentOriginsTests : IDisposable
{
    private readonly TempDirectory _mine = new();
    private readonly TempDirectory _data = new();

    public DocumentOriginsTests()
    {
        _mine.WriteFile("tides.md", "# Tides\n\nThe Quillmere harbour gate closes two hours before low tide.\n");
        _mine.WriteFile("notes/ferry.md", "# Ferry\n\nThe Brackwater ferry leaves the north pier at seven forty every morning.\n");
        _mine.WriteFile("lamps.txt", "Lamps\n\nThe Oleander lighthouse lamp is cleaned every second Thursday.\n");
    }

    public void Dispose()
    {
        _mine.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task ReadmeSequence_IngestAFolderThenServeTheSamples_KeepsEveryIngestedDocument_AndSaysSoInOneLine()
    {
        var ingest = await RagtuneCommand.RunAsync("ingest", _mine.Path, "--data", _data.Path);
        Assert.Equal(ExitCodes.Success, ingest.ExitCode);

        using var logs = new CapturingLoggerProvider(LogLevel.Information);
        await using var server = await RunningServer.StartAsync(SamplesServerFixture.Documents, _data.Path, logs, "--Logging:LogLevel:Default=Information");
        await server.FirstSynchronization;

        var documents = await server.Client.ListDocumentsAsync();
        foreach (var source in new[] { "tides.md", "notes/ferry.md", "lamps.txt", "warranty.md", "returns-policy.pdf" })
        {
            Assert.True(documents.TryGetValue(source, out var document), $"{source} is listed");
            Assert.Equal("indexed", document.GetProperty("status").GetString());
        }

        Assert.DoesNotContain(logs.Entries, entry => entry.Text.StartsWith("Removed ", StringComparison.Ordinal));
        var line = Assert.Single(logs.Entries, entry => entry.EventId.Id == 4010);
        Assert.Contains("3 documents of other origins", line.Text, StringComparison.Ordinal);
        Assert.Contains($"3 from ingest {_mine.Path}", line.Text, StringComparison.Ordinal);

        var answer = await server.Client.AskAsync(new { question = "When does the Quillmere harbour gate close?" });
        Assert.Equal("tides.md", answer.GetProperty("citations")[0].GetProperty("source").GetString());

        var listed = await RagtuneCommand.RunAsync("documents", "--data", _data.Path);
        Assert.Matches($@"tides\.md .*ingest {Regex.Escape(_mine.Path)}", listed.Output);
        Assert.Matches($@"warranty\.md .*serve --docs {Regex.Escape(SamplesServerFixture.Documents)}", listed.Output);
    }

    [Fact]
    public async Task Remove_BySourceAndByFolder_RemovesThoseDocumentsOnly_AndNamesWhatMatchedNothing()
    {
        Assert.Equal(ExitCodes.Success, (await RagtuneCommand.RunAsync("ingest", _mine.Path, "--data", _data.Path)).ExitCode);

        var run = await RagtuneCommand.RunAsync("remove", "tides.md", _mine.Combine("notes"), "nothing-like-this.md", "--data", _data.Path);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("Removed tides.md", run.Output, StringComparison.Ordinal);
        Assert.Contains("Removed notes/ferry.md", run.Output, StringComparison.Ordinal);
        Assert.Contains("No document matches nothing-like-this.md", run.Output, StringComparison.Ordinal);
        Assert.Equal(["lamps.txt"], await SourcesAsync());

        var again = await RagtuneCommand.RunAsync("remove", _mine.Path, "--data", _data.Path);
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.Empty(await SourcesAsync());
    }

    [Fact]
    public async Task IngestAndExport_InAnotherProcessWhileServeRuns_Work_AndServeAnswersFromTheIngestWithoutARestart()
    {
        using var watched = new TempDirectory();
        watched.WriteFile("seed.md", "# Seed\n\nThe Brindlewood office opens at eight in the morning on weekdays.\n");
        await using var server = await RunningServer.StartAsync(watched.Path, _data.Path);
        await server.FirstSynchronization;
        var seed = await server.Client.AskAsync(new { question = "When does the Brindlewood office open?" });
        using (var rated = await server.Client.PostAsJsonAsync("/api/feedback", new { answerId = seed.GetProperty("answerId").GetString(), rating = "up" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, rated.StatusCode);
        }

        var ingest = await RunInAnotherProcessAsync("ingest", _mine.Path, "--data", _data.Path);
        Assert.True(ingest.ExitCode == ExitCodes.Success, ingest.Output);

        Assert.True((await server.Client.ListDocumentsAsync()).ContainsKey("notes/ferry.md"));
        var answer = await server.Client.AskAsync(new { question = "When does the Brackwater ferry leave the north pier?" });
        Assert.Equal("notes/ferry.md", answer.GetProperty("citations")[0].GetProperty("source").GetString());

        var export = await RunInAnotherProcessAsync("export", "--data", _data.Path, "--json");
        Assert.True(export.ExitCode == ExitCodes.Success, export.Output);
        var manifest = Assert.Single(Directory.EnumerateFiles(_data.Path, "manifest.json", SearchOption.AllDirectories));
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        Assert.Equal(1, written.RootElement.GetProperty("ratedInteractions").GetInt32());
    }

    private async Task<IReadOnlyList<string>> SourcesAsync()
    {
        var listed = await RagtuneCommand.RunAsync("documents", "--data", _data.Path, "--json");
        using var json = JsonDocument.Parse(listed.Output);
        return [.. json.RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("source").GetString()!)];
    }

    /// <summary>Runs the built <c>ragtune</c> in a process of its own; returns its exit code and output.</summary>
    private static async Task<CommandRun> RunInAnotherProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "ragtune.exe" : "ragtune"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ragtune did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandRun(process.ExitCode, await output + await error);
    }
}
