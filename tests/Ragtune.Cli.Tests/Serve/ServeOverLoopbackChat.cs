using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ragtune.Testing.Loopback;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Http;
using Ragtune.Embedded.Files;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Serve;

/// <summary>
/// The real <c>ragtune serve</c> over a temp folder with one document, its chat provider <c>openai-compatible</c> at a
/// loopback server that stands in for the chat service (and fails as a test scripts it), with settings of the test's
/// own. Started once the first folder synchronisation is done.
/// </summary>
public sealed class ServeOverLoopbackChat : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServeOverLoopbackChat(WebApplication app, LoopbackServer chat, TempDirectory documents, TempDirectory data)
    {
        _app = app;
        Chat = chat;
        Documents = documents;
        Data = data;
        Client = new HttpClient { BaseAddress = app.Addresses()[0], Timeout = TimeSpan.FromSeconds(90) };
    }

    public LoopbackServer Chat { get; }

    public TempDirectory Documents { get; }

    public TempDirectory Data { get; }

    public HttpClient Client { get; }

    /// <summary>The server's services, to check what it composed.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the chat stand-in and the server over <paramref name="document"/> (a Markdown file's name and text);
    /// <paramref name="logs"/>, when given, hears everything logged from the start.
    /// </summary>
    public static async Task<ServeOverLoopbackChat> StartAsync((string Name, string Text) document, ILoggerProvider? logs, params string[] settings)
    {
        var chat = await LoopbackServer.StartAsync();
        var documents = new TempDirectory();
        var data = new TempDirectory();
        documents.WriteFile(document.Name, document.Text);
        string[] configuration =
        [
            "--Ragtune:Chat:Provider=openai-compatible",
            $"--Ragtune:Chat:Endpoint={chat.Url("v1")}",
            $"--Ragtune:Chat:Model={ServeWithChatProviderFixture.Model}",
            .. settings,
        ];
        var app = ServeHost.Build(new ServeSettings(new CliSettings(new DirectoryInfo(data.Path), configuration), new DirectoryInfo(documents.Path), "http://127.0.0.1:0"));
        if (logs is not null)
        {
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        }

        await app.StartAsync();
        await app.Services.GetRequiredService<DocumentFolderWatcher>().FirstSynchronization.WaitAsync(TimeSpan.FromMinutes(2));
        return new ServeOverLoopbackChat(app, chat, documents, data);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Chat.DisposeAsync();
        Documents.Dispose();
        Data.Dispose();
    }
}
