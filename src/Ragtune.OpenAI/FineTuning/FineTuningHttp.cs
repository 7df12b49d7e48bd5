using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Ragtune.Core;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.OpenAI.FineTuning;

/// <summary>
/// Requests to a fine-tuning API (OpenAI's, Azure OpenAI's, Azure Resource Manager's) over one HttpClient: the request's
/// authentication, bounded retries of 429, 408, 5xx and connection failures that wait as long as the service asks
/// (<c>retry-after-ms</c>, <c>Retry-After</c>), and the translation of what still fails: a transient failure becomes
/// <see cref="DependencyUnavailableException"/> with the service's wait, a refusal <see cref="FineTuningRequestRejectedException"/>
/// with the service's error code and message.
/// </summary>
internal sealed class FineTuningHttp(HttpClient http, FineTuningAuthentication authentication, int maxRetries, TimeSpan maxRetryDelay, TimeProvider time)
{
    public const string Dependency = "fine-tuning";

    /// <summary>Sends the request <paramref name="create"/> makes (afresh for each attempt) and reads the JSON answer; null for a 404 when <paramref name="notFoundIsNull"/>.</summary>
    public async Task<JsonElement?> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            await authentication.ApplyAsync(request, cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var failure = exception is TaskCanceledException ? DependencyFailure.Timeout : DependencyFailure.Unavailable;
                if (attempt < maxRetries)
                {
                    await Task.Delay(Backoff(attempt), time, cancellationToken);
                    continue;
                }

                throw new DependencyUnavailableException(Dependency, failure, null, exception);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    return await ReadJsonAsync(response, cancellationToken);
                }

                if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                var retryAfter = RetryAfterHeaders.Read(name => Header(response, name));
                if (IsTransient(response.StatusCode))
                {
                    if (attempt < maxRetries && !(retryAfter > maxRetryDelay))
                    {
                        await Task.Delay(retryAfter ?? Backoff(attempt), time, cancellationToken);
                        continue;
                    }

                    var failure = response.StatusCode switch
                    {
                        HttpStatusCode.TooManyRequests => DependencyFailure.Throttled,
                        HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => DependencyFailure.Timeout,
                        _ => DependencyFailure.Unavailable,
                    };
                    throw new DependencyUnavailableException(Dependency, failure, retryAfter);
                }

                throw new FineTuningRequestRejectedException((int)response.StatusCode, await ReadErrorAsync(response, cancellationToken));
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt));

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new DependencyUnavailableException(Dependency, DependencyFailure.Unavailable, null, exception);
        }
    }

    /// <summary>The service's <c>{"error": {"code", "message"}}</c> (OpenAI, Azure OpenAI and Resource Manager alike), or the status.</summary>
    private static async Task<TuningFailure> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"http_{(int)response.StatusCode}";
        try
        {
            var body = await ReadJsonAsync(response, cancellationToken);
            if (body is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return new TuningFailure(code ?? status, message ?? response.ReasonPhrase ?? status);
            }
        }
        catch (DependencyUnavailableException)
        {
            // Not JSON: the status says what there is to say.
        }

        return new TuningFailure(status, response.ReasonPhrase ?? status);
    }
}

/// <summary>How a request proves who sends it: a bearer key, an <c>api-key</c> header, a Microsoft Entra ID token for a scope, or nothing.</summary>
internal sealed class FineTuningAuthentication
{
    private readonly Func<HttpRequestMessage, CancellationToken, ValueTask> _apply;

    private FineTuningAuthentication(Func<HttpRequestMessage, CancellationToken, ValueTask> apply) => _apply = apply;

    public static FineTuningAuthentication BearerKey(string? key) => new((request, _) =>
    {
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return ValueTask.CompletedTask;
    });

    public static FineTuningAuthentication ApiKeyHeader(string key) => new((request, _) =>
    {
        request.Headers.Add("api-key", key);
        return ValueTask.CompletedTask;
    });

    public static FineTuningAuthentication Token(TokenCredential credential, string scope) => new(async (request, cancellationToken) =>
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
    });

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _apply(request, cancellationToken);
}
