using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Azure.Tests.Loopback;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Http;
using Ragtune.Embedded.Files;
using Ragtune.Testing;

namespace Ragtune.Azure.Tests.Serve;

/// <summary>
/// The real <c>ragtune serve</c> (embedded MiniLM and SQLite) over a folder with one Markdown document, its chat
/// provider configured from the command line as <c>openai-compatible</c> at a loopback server. One per test class:
/// starting it loads the model and ingests; tests script <see cref="ChatService"/> afresh.
/// </summary>
public sealed class ServeWithChatProviderFixture : IAsyncLifetime
{
    public const string Model = "gpt-4o-mini";

    public const string Document = "battery-warranty.md";

    public const string DocumentText =
        "# Battery warranty\n\nThe battery of every Voltbike is covered by the warranty for two years or 500 full charge cycles, "
        + "whichever comes first. The warranty covers capacity loss below 70 percent of the rated capacity.\n";

    private readonly TempDirectory _data = new();
    private readonly TempDirectory _documents = new();
    private WebApplication? _app;

    public LoopbackServer ChatService { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ChatService = await LoopbackServer.StartAsync();
        _documents.WriteFile(Document, DocumentText);
        string[] configuration =
        [
            "--Ragtune:Chat:Provider=openai-compatible",
            $"--Ragtune:Chat:Endpoint={ChatService.Url("v1")}",
            $"--Ragtune:Chat:Model={Model}",
            "--Ragtune:Chat:Timeout=00:00:01",
            "--Ragtune:Chat:MaxRetries=0",
            "--Ragtune:Documents:Watch=false",
        ];
        _app = ServeHost.Build(new ServeSettings(new CliSettings(new DirectoryInfo(_data.Path), configuration), new DirectoryInfo(_documents.Path), "http://127.0.0.1:0"));
        await _app.StartAsync();
        await _app.Services.GetRequiredService<DocumentFolderWatcher>().FirstSynchronization.WaitAsync(TimeSpan.FromMinutes(2));
        Client = new HttpClient { BaseAddress = _app.Addresses()[0], Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await ChatService.DisposeAsync();
        _data.Dispose();
        _documents.Dispose();
    }
}
