using System.Security.Cryptography;
using System.Text.Json;
using Ragtune.Cli.Tests.Contract;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// <c>ragtune serve</c> watching a temp folder of tiny Markdown files, with a short debounce, shared by the tests of
/// one class. Each test works on files of its own.
/// </summary>
public sealed class WatchedFolderFixture : IAsyncLifetime
{
    /// <summary>How long a file must be quiet before it is read.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a change may take to show; generous for two cores shared with other test classes.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _data = new();
    private RunningServer? _server;

    public TempDirectory Documents { get; } = new();

    /// <summary>A caller with no identity.</summary>
    public HttpClient Client => Server.Client;

    /// <summary>A caller in the <c>board</c> group (the server trusts the client principal header).</summary>
    public HttpClient BoardMember { get; private set; } = null!;

    private RunningServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        Documents.WriteFile("seed.md", "# Seed\n\nThe Brindlewood office opens at eight in the morning on weekdays.\n");
        _server = await RunningServer.StartAsync(
            Documents.Path,
            _data.Path,
            $"--Ragtune:Documents:Debounce={Debounce:c}",
            "--Ragtune:Auth:TrustClientPrincipalHeader=true");
        BoardMember = _server.CreateClient("board");
        await _server.FirstSynchronization;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            BoardMember.Dispose();
            await _server.DisposeAsync();
        }

        Documents.Dispose();
        _data.Dispose();
    }

    /// <summary>The documents the server lists now to a caller (by default one with no identity), by source.</summary>
    public Task<IReadOnlyDictionary<string, JsonElement>> DocumentsAsync(HttpClient? caller = null) => (caller ?? Client).ListDocumentsAsync();

    /// <summary>Waits until the server has indexed the file's current content (its hash is listed).</summary>
    public Task IndexedAsync(string source, HttpClient? caller = null) =>
        Eventually.HoldsAsync(
            async () => (await DocumentsAsync(caller)).TryGetValue(source, out var document)
                && document.GetProperty("status").GetString() == "indexed"
                && document.GetProperty("contentHash").GetString() == HashOf(source),
            Within,
            $"{source} is indexed with its current content");

    /// <summary>The SHA-256 of a file of the folder, as the catalog records it.</summary>
    public string HashOf(string source) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Documents.Combine(source))));

    /// <summary>Asks a question (by default as a caller with no identity); returns the sources and texts of the citations.</summary>
    public async Task<IReadOnlyList<(string Source, string Text)>> CitationsAsync(string question, HttpClient? caller = null)
    {
        var answer = await (caller ?? Client).AskAsync(new { question });
        ApiShapes.AssertAnswer(answer);
        return [.. answer.GetProperty("citations").EnumerateArray().Select(c => (c.GetProperty("source").GetString()!, c.GetProperty("text").GetString()!))];
    }
}
