using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ragtune.Cli.Tests.Http;
using Ragtune.Testing;
using Ragtune.Testing.Logging;

namespace Ragtune.Cli.Tests.Security;

/// <summary>
/// Requests whose HTTP framing is broken, written byte by byte on a raw connection (no HTTP client sends them): a body
/// shorter than its Content-Length, then the client's end of the connection closed; a chunked body with malformed chunk
/// sizes. Each is a client error (4xx) or a quiet close, never a 5xx, and nothing is logged at Error or above.
/// </summary>
public sealed class BrokenFramingTests : IAsyncLifetime
{
    private readonly TempDirectory _documents = new();
    private readonly TempDirectory _data = new();
    private readonly CapturingLoggerProvider _logs = new(LogLevel.Warning);
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _documents.WriteFile("office.md", "# Office\n\nThe Brindlewood office opens at eight in the morning on weekdays.\n");
        _server = await RunningServer.StartAsync(_documents.Path, _data.Path, "--Ragtune:Documents:Watch=false", "--Ragtune:Embedding:MiniLm:Sessions=1");
        _server.Services.GetRequiredService<ILoggerFactory>().AddProvider(_logs);
        await _server.FirstSynchronization;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _documents.Dispose();
        _data.Dispose();
    }

    [Theory]
    [InlineData("/api/ask")]
    [InlineData("/api/feedback")]
    public async Task BodyShorterThanItsContentLength_IsAClientErrorOrAQuietClose(string path)
    {
        var head = $"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";

        var status = await SendAsync(head + "{\"question\": \"When does the office open?\"", closeSending: true);

        AssertClientErrorOrClosed(status);
    }

    [Theory]
    [InlineData("ZZ\r\n{\"question\": \"When?\"}\r\n0\r\n\r\n")]
    [InlineData("5\r\n{\"question\": \"When does the office open?\"}\r\n0\r\n\r\n")]
    [InlineData("fffffffffffffffffff\r\n{}\r\n0\r\n\r\n")]
    public async Task MalformedChunkedBody_IsAClientErrorOrAQuietClose(string chunks)
    {
        var head = "POST /api/ask HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

        var status = await SendAsync(head + chunks, closeSending: false);

        AssertClientErrorOrClosed(status);
    }

    private void AssertClientErrorOrClosed(int? status)
    {
        Assert.True(status is null or (>= 400 and < 500), $"answered {status}");
        var errors = _logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Text).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    /// <summary>Writes the request, optionally closes the sending side, and reads the status of the answer (null when the server closed without one).</summary>
    private async Task<int?> SendAsync(string request, bool closeSending)
    {
        var address = _server.Client.BaseAddress!;
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        if (closeSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string? statusLine;
        try
        {
            statusLine = await reader.ReadLineAsync(timeout.Token);
        }
        catch (IOException)
        {
            // Reset by the server: a quiet close.
            return null;
        }

        return statusLine is null ? null : int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
