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

    public HttpClient Client => (_server ?? throw new InvalidOperationException("The server has not started.")).Client;

    public async Task InitializeAsync()
    {
        Documents.WriteFile("seed.md", "# Seed\n\nThe Brindlewood office opens at eight in the morning on weekdays.\n");
        _server = await RunningServer.StartAsync(
            Documents.Path,
            _data.Path,
            $"--Ragtune:Documents:Debounce={Debounce:c}");
        await _server.FirstSynchronization;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Documents.Dispose();
        _data.Dispose();
    }

    /// <summary>The documents the server lists now, by source.</summary>
    public Task<IReadOnlyDictionary<string, JsonElement>> DocumentsAsync() => Client.ListDocumentsAsync();

    /// <summary>Waits until the server has indexed the file's current content (its hash is listed).</summary>
    public Task IndexedAsync(string source) =>
        Eventually.HoldsAsync(
            async () => (await DocumentsAsync()).TryGetValue(source, out var document)
                && document.GetProperty("status").GetString() == "indexed"
                && document.GetProperty("contentHash").GetString() == HashOf(source),
            Within,
            $"{source} is indexed with its current content");

    /// <summary>The SHA-256 of a file of the folder, as the catalog records it.</summary>
    public string HashOf(string source) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Documents.Combine(source))));

    /// <summary>Asks a question; returns the sources and texts of the citations.</summary>
    public async Task<IReadOnlyList<(string Source, string Text)>> CitationsAsync(string question)
    {
        var answer = await Client.AskAsync(new { question });
        ApiShapes.AssertAnswer(answer);
        return [.. answer.GetProperty("citations").EnumerateArray().Select(c => (c.GetProperty("source").GetString()!, c.GetProperty("text").GetString()!))];
    }
}
