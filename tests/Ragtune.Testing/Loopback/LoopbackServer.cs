using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ragtune.Testing.Loopback;

/// <summary>
/// A real HTTP server on a loopback port (Kestrel on <c>http://127.0.0.1:0</c>, real sockets) that stands in for a
/// service such as Azure OpenAI or Azure AI Search: it records every request and answers from a script.
/// </summary>
/// <remarks>
/// Script it with <see cref="Enqueue"/> (answers in order, one per request) and <see cref="Respond"/> (answers every
/// request once the queue is empty). A request nothing was scripted for gets 501 with a message naming it, which no
/// SDK retries, so a test fails on an unexpected call instead of passing by accident. Share one server per test class
/// with <see cref="Reset"/> between tests.
/// </remarks>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<LoopbackResponse> _queue = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private Func<RecordedRequest, LoopbackResponse>? _handler;

    private LoopbackServer()
    {
    }

    /// <summary>The server's base address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request received since the start or the last <see cref="Reset"/>, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<LoopbackServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new LoopbackServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server._app = app;
        server.BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>A URL on this server: <c>Url("openai/v1")</c> is <c>http://127.0.0.1:PORT/openai/v1</c>.</summary>
    public Uri Url(string relative) => new(BaseAddress, relative);

    /// <summary>Answers the next requests with these responses, in order.</summary>
    public void Enqueue(params LoopbackResponse[] responses)
    {
        lock (_gate)
        {
            foreach (var response in responses)
            {
                _queue.Enqueue(response);
            }
        }
    }

    /// <summary>Answers every request that finds the queue empty (replacing any earlier handler).</summary>
    public void Respond(Func<RecordedRequest, LoopbackResponse> handler)
    {
        lock (_gate)
        {
            _handler = handler;
        }
    }

    /// <summary>Forgets the recorded requests, the queue and the handler.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _queue.Clear();
            _handler = null;
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForRequestsAsync(int count, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => Requests.Count >= count, timeout, $"{count} requests at {BaseAddress}, saw {Requests.Count}");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context);
        LoopbackResponse response;
        lock (_gate)
        {
            _requests.Add(request);
            response = _queue.TryDequeue(out var next) ? next
                : _handler is not null ? _handler(request)
                : LoopbackResponse.Json(
                    JsonSerializer.Serialize(new { error = new { message = $"LoopbackServer: no response scripted for {request}" } }),
                    StatusCodes.Status501NotImplemented);
        }

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await WriteAsync(context, response, aborted.Token);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client gave up (a timeout under test) or the server is stopping.
            context.Abort();
        }
    }

    private static async Task WriteAsync(HttpContext context, LoopbackResponse response, CancellationToken cancellationToken)
    {
        if (response.Delay > TimeSpan.Zero)
        {
            await Task.Delay(response.Delay, cancellationToken);
        }

        switch (response.Fault)
        {
            case LoopbackFault.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;
            case LoopbackFault.DropConnection:
                context.Abort();
                return;
            case LoopbackFault.DropAfterBody:
                await WriteAndDropAsync(context, response, cancellationToken);
                return;
        }

        context.Response.StatusCode = response.Status;
        if (response.ContentType is not null)
        {
            context.Response.ContentType = response.ContentType;
        }

        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        for (var i = 0; i < response.Body.Count; i++)
        {
            if (i > 0 && response.BodyInterval > TimeSpan.Zero)
            {
                await Task.Delay(response.BodyInterval, cancellationToken);
            }

            await context.Response.WriteAsync(response.Body[i], cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
        }

        if (response.Fault == LoopbackFault.HangAfterBody)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

    }

    /// <summary>
    /// Sends the status line, headers and body chunks straight to the socket, then ends the connection without the
    /// last chunk, so that the client reads everything and then finds the response cut short. (Kestrel's own abort
    /// could overtake data still in its output pipe, and its reset makes the client's kernel discard what the client
    /// has not read yet, so the body before the break could vanish.) The context is aborted once the client hangs up.
    /// </summary>
    private static async Task WriteAndDropAsync(HttpContext context, LoopbackResponse response, CancellationToken cancellationToken)
    {
        var head = new StringBuilder("HTTP/1.1 ").Append(response.Status).Append(' ').Append(ReasonPhrases.GetReasonPhrase(response.Status)).Append("\r\n");
        if (response.ContentType is not null)
        {
            head.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
        }

        foreach (var (name, value) in response.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Transfer-Encoding: chunked\r\n\r\n");
        var socket = context.Features.GetRequiredFeature<IConnectionSocketFeature>().Socket;
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken);
        foreach (var piece in response.Body)
        {
            var bytes = Encoding.UTF8.GetBytes(piece);
            await socket.SendAsync(Encoding.ASCII.GetBytes(bytes.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken);
            await socket.SendAsync(bytes, cancellationToken);
            await socket.SendAsync("\r\n"u8.ToArray(), cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
        }
        finally
        {
            context.Abort();
        }
    }

    private static async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        var receivedAt = TimeProvider.System.GetUtcNow();
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        return new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            receivedAt);
    }
}
