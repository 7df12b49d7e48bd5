using Ragtune.Cli.CommandLine;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.CommandLine;

/// <summary>A wrong command line or configuration exits with 2 and says what was wrong.</summary>
public sealed class UsageErrorTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task UnknownCommand_ExitsTwo()
    {
        var run = await RagtuneCommand.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("frobnicate", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwo()
    {
        var run = await RagtuneCommand.RunAsync("documents", "--data", _data.Path, "--bogus");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--bogus", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOptionAfterIngestPaths_ExitsTwoInsteadOfReadingItAsAPath()
    {
        var document = _data.WriteFile("docs/a.txt", "The frame is warranted for five years.");

        var run = await RagtuneCommand.RunAsync("ingest", document, "--bogus", "--data", _data.Combine("data"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Unrecognized option '--bogus'", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_data.Combine("data")));
    }

    [Fact]
    public async Task SettingAfterIngestPaths_IsReadAsConfigurationNotAsAPath()
    {
        var document = _data.WriteFile("docs/a.txt", "The frame is warranted for five years.");

        var run = await RagtuneCommand.RunAsync("ingest", document, "--Ragtune:Chunking:MaxTokens=5", "--data", _data.Combine("data"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("MaxTokens", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("No such file", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestWithoutPath_ExitsTwo()
    {
        var run = await RagtuneCommand.RunAsync("ingest", "--data", _data.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Required argument missing for command: 'ingest'", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestOfAMissingPath_ExitsTwo()
    {
        var missing = _data.Combine("no-such-folder");

        var run = await RagtuneCommand.RunAsync("ingest", missing, "--data", _data.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(missing, run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxTokens", "documents", "--Ragtune:Chunking:MaxTokens=5")]
    [InlineData("Ragtune:Retrieval:DefaultTop", "documents", "--Ragtune:Retrieval:DefaultTop=five")]
    [InlineData("MaxTokens", "serve", "--Ragtune:Chunking:MaxTokens=5")]
    [InlineData("Ragtune:Api:MaxBodyBytes", "serve", "--Ragtune:Api:MaxBodyBytes=lots")]
    public async Task BadSetting_ExitsTwoNamingIt(string named, string command, string setting)
    {
        string[] serving = command == "serve" ? ["--docs", _data.Path, "--urls", "http://127.0.0.1:0"] : [];

        var run = await RagtuneCommand.RunAsync([command, "--data", _data.Path, .. serving, setting]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Configuration error", run.Output, StringComparison.Ordinal);
        Assert.Contains(named, run.Output, StringComparison.Ordinal);

        // The settings are checked before the data folder's databases are opened: none is created.
        Assert.Empty(Directory.GetFiles(_data.Path, "*.db"));
    }

    [Fact]
    public async Task SettingsAlone_RunServeWithThem()
    {
        // `ragtune --Section:Key=value` is `ragtune serve` with that setting: here a bad one, so it stops at start.
        var run = await RagtuneCommand.RunAsync($"--Ragtune:Storage:DataDirectory={_data.Combine("data")}", "--Ragtune:Chunking:MaxTokens=5");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Configuration error", run.Output, StringComparison.Ordinal);
        Assert.Contains("MaxTokens", run.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}
