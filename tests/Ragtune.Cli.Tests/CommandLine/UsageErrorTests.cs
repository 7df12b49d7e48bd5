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
        var run = await Ragtune.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("frobnicate", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwo()
    {
        var run = await Ragtune.RunAsync("documents", "--data", _data.Path, "--bogus");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--bogus", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestWithoutPath_ExitsTwo()
    {
        var run = await Ragtune.RunAsync("ingest", "--data", _data.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Required argument missing for command: 'ingest'", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestOfAMissingPath_ExitsTwo()
    {
        var missing = _data.Combine("no-such-folder");

        var run = await Ragtune.RunAsync("ingest", missing, "--data", _data.Path);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(missing, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingOutOfRange_ExitsTwoNamingIt()
    {
        var run = await Ragtune.RunAsync("documents", "--data", _data.Path, "--Ragtune:Chunking:MaxTokens=5");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Configuration error", run.Output, StringComparison.Ordinal);
        Assert.Contains("MaxTokens", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingOfTheWrongType_ExitsTwoNamingIt()
    {
        var run = await Ragtune.RunAsync("documents", "--data", _data.Path, "--Ragtune:Retrieval:DefaultTop=five");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Configuration error", run.Output, StringComparison.Ordinal);
        Assert.Contains("Ragtune:Retrieval:DefaultTop", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeWithASettingOfTheWrongType_ExitsTwoNamingIt()
    {
        var run = await Ragtune.RunAsync("serve", "--data", _data.Path, "--docs", _data.Path, "--urls", "http://127.0.0.1:0", "--Ragtune:Api:MaxBodyBytes=lots");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Configuration error", run.Output, StringComparison.Ordinal);
        Assert.Contains("Ragtune:Api:MaxBodyBytes", run.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _data.Dispose();
}
