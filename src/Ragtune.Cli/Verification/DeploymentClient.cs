using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace Ragtune.Cli.Verification;

/// <summary>One request of a check: where it goes, what it sends, and as whom.</summary>
internal sealed record ApiCall(HttpMethod Method, string Path)
{
    /// <summary>A body sent as <c>application/json</c> (as given: it may be malformed on purpose).</summary>
    public string? JsonBody { get; init; }

    public string Accept { get; init; } = "application/json";

    /// <summary>Without the bearer token (the function key is still sent: it is no identity).</summary>
    public bool Anonymous { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public static ApiCall Get(string path) => new(HttpMethod.Get, path);

    public static ApiCall Post(string path, string json) => new(HttpMethod.Post, path) { JsonBody = json };
}

/// <summary>A request that got no complete response: the server could not be reached, broke off, or took too long.</summary>
internal sealed class VerificationRequestException(string message, bool unreachable = false) : Exception(message)
{
    /// <summary>True when no connection could be made: the checks after this one are not run.</summary>
    public bool Unreachable { get; } = unreachable;

    /// <summary>The status of a response that broke off or stalled after its headers.</summary>
    public int? Status { get; init; }
}

/// <summary>
/// Calls a deployment's HTTP API as any client would: the function key and bearer token on each request, a timeout per
/// request (a streamed answer included), and the reasons a request got no response in words.
/// </summary>
internal sealed class DeploymentClient(HttpClient http, VerificationTarget target)
{
    public const string FunctionKeyHeader = "x-functions-key";

    public VerificationTarget Target => target;

    /// <summary>Sends a request and reads its whole response.</summary>
    public Task<ApiReply> SendAsync(ApiCall call, CancellationToken cancellationToken = default) =>
        SendAsync(call, ApiReply.ReadAsync, cancellationToken);

    /// <summary>
    /// Sends a request that asks for server-sent events and reads every event until the stream ends. A response that is
    /// not an event stream is read whole, with no events.
    /// </summary>
    public Task<(ApiReply Reply, IReadOnlyList<SseItem<string>>? Events)> SendForEventsAsync(ApiCall call, CancellationToken cancellationToken = default) =>
        SendAsync(call with { Accept = "text/event-stream" }, ReadEventsAsync, cancellationToken);

    private async Task<T> SendAsync<T>(ApiCall call, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(target.Timeout);
        using var request = Build(call);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException exception)
        {
            var unreachable = exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;
            throw new VerificationRequestException(
                unreachable ? $"cannot reach {target.Url}: {exception.Message}" : $"the request failed: {exception.Message}", unreachable);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VerificationRequestException($"no response within {Seconds(target.Timeout)}");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            try
            {
                return await read(response, timeout.Token);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException)
            {
                throw new VerificationRequestException($"the response broke off: {exception.Message}") { Status = status };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new VerificationRequestException($"the response did not end within {Seconds(target.Timeout)}") { Status = status };
            }
        }
    }

    private HttpRequestMessage Build(ApiCall call)
    {
        var request = new HttpRequestMessage(call.Method, new Uri(target.Url, call.Path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(call.Accept));
        if (call.JsonBody is not null)
        {
            request.Content = new StringContent(call.JsonBody, Encoding.UTF8, "application/json");
        }

        if (target.Key is not null)
        {
            request.Headers.TryAddWithoutValidation(FunctionKeyHeader, target.Key);
        }

        if (target.Token is not null && !call.Anonymous)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.Token);
        }

        foreach (var (name, value) in call.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static async Task<(ApiReply, IReadOnlyList<SseItem<string>>?)> ReadEventsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return (await ApiReply.ReadAsync(response, cancellationToken), null);
        }

        var events = new List<SseItem<string>>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            events.Add(item);
        }

        return (ApiReply.Headers(response), events);
    }

    private static string Seconds(TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.#} s");
}
