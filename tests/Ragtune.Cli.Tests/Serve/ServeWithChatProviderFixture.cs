using Ragtune.Testing.Loopback;

namespace Ragtune.Cli.Tests.Serve;

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

    private ServeOverLoopbackChat? _serve;

    public LoopbackServer ChatService => Serve.Chat;

    public HttpClient Client => Serve.Client;

    private ServeOverLoopbackChat Serve => _serve ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() =>
        _serve = await ServeOverLoopbackChat.StartAsync(
            (Document, DocumentText),
            null,
            // Long enough that a dropped connection is seen as dropped (503) before the timeout (504) even on a loaded
            // machine, where the loopback server can take a second to answer; short enough for the never-answering cases.
            "--Ragtune:Chat:Timeout=00:00:04",
            "--Ragtune:Chat:MaxRetries=0",
            "--Ragtune:Documents:Watch=false");

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }
    }
}
