using System.Diagnostics;
using System.Text.Json;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.FrontEnds;

/// <summary>
/// Runs one of the Node scripts beside this file (<c>clients/</c>), each driving a front end's own client library (the
/// pinned <c>openai</c> and <c>ai</c> npm packages, installed on first use) against a server: the call goes in as JSON on
/// standard input, what the client returned or threw comes back as one JSON line.
/// </summary>
internal static class NodeClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>OpenAI's JavaScript library with <c>baseURL</c> = the server's <c>/api/v1</c>.</summary>
    public static Task<JsonElement> OpenAIAsync(Uri server, object request, IReadOnlyDictionary<string, string>? headers = null, string operation = "chat") =>
        RunAsync("openai-client.mjs", new { baseURL = new Uri(server, "/api/v1").ToString(), defaultHeaders = headers, operation, request });

    /// <summary>The AI SDK's chat (what <c>useChat</c> wraps) at the server's <c>/api/chat</c>, asking the questions in turn.</summary>
    public static Task<JsonElement> AISdkChatAsync(Uri server, IReadOnlyList<string> questions, IReadOnlyDictionary<string, string>? headers = null) =>
        RunAsync("ai-chat.mjs", new { api = new Uri(server, "/api/chat").ToString(), headers, questions });

    private static async Task<JsonElement> RunAsync(string script, object call)
    {
        await NpmPackages.EnsureInstalledAsync();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(SharedData.RepositoryRoot, "tests", "Ragtune.Cli.Tests", "FrontEnds", "clients", script) },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(call));
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {Timeout.TotalMinutes} minutes: {await error}");
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {await output}{await error}");
        }

        using var document = JsonDocument.Parse(lines[^1]);
        return document.RootElement.Clone();
    }
}
