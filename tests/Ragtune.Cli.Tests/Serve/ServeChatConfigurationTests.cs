using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Http;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Serve;

/// <summary><c>ragtune serve</c> with a wrong chat setting on its command line fails at start, naming the setting.</summary>
public sealed class ServeChatConfigurationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--Ragtune:Chat:Provider=ollama", "Ragtune:Chat:Provider")]
    [InlineData("--Ragtune:Chat:Provider=azure-openai", "Ragtune:Chat:Endpoint")]
    [InlineData("--Ragtune:Chat:Provider=openai-compatible", "Ragtune:Chat:Model")]
    public async Task Start_WrongChatSetting_FailsNamingIt(string argument, string setting)
    {
        var settings = new ServeSettings(
            new CliSettings(new DirectoryInfo(_folder.Combine("data")), [argument]), new DirectoryInfo(_folder.Path), "http://127.0.0.1:0");
        await using var app = ServeHost.Build(settings);

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(setting, exception.Message, StringComparison.Ordinal);
    }
}
