using System.ClientModel;
using Azure;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ragtune.Core;

namespace Ragtune.Azure.OpenAI;

/// <summary>
/// Translates what the OpenAI and Azure SDKs (<see cref="ClientResultException"/>, <see cref="RequestFailedException"/>) throw into <see cref="DependencyUnavailableException"/> when a retry
/// may help: 429 (throttled, with the service's Retry-After), 408 and timeouts, 5xx and connection failures, also
/// in the middle of a streamed answer, and a response that cannot be read as the API's.
/// Retries that all failed count as their last failure. Anything else (a wrong key, an unknown deployment) is a
/// configuration error and stays as it is.
/// </summary>
internal static class DependencyErrors
{
    /// <summary>Runs a call to <paramref name="dependency"/>, throwing what a retry may help with as <see cref="DependencyUnavailableException"/>.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call, string dependency, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (TryTranslate(exception, dependency, cancellationToken, out var translated))
        {
            throw translated;
        }
    }

    public static bool TryTranslate(
        Exception exception, string dependency, CancellationToken cancellationToken, [NotNullWhen(true)] out DependencyUnavailableException? translated)
    {
        // After its last retry the SDK's pipeline throws every attempt's failure together (System.ClientModel's
        // "Retry failed after N tries"); the last attempt says how the call ended.
        if (exception is AggregateException { InnerExceptions: [.., var last] }
            && TryTranslate(last, dependency, cancellationToken, out var lastAttempt))
        {
            translated = new(dependency, lastAttempt.Failure, lastAttempt.RetryAfter, exception);
            return true;
        }

        translated = exception switch
        {
            RequestFailedException { Status: 429 } e => new(dependency, DependencyFailure.Throttled, RetryAfter(e), e),
            RequestFailedException { Status: 408 or 504 } e => new(dependency, DependencyFailure.Timeout, null, e),
            RequestFailedException { Status: >= 500 or 0 } e => new(dependency, DependencyFailure.Unavailable, RetryAfter(e), e),
            ClientResultException { Status: 429 } e => new(dependency, DependencyFailure.Throttled, BoundedRetryPolicy.RetryAfter(e.GetRawResponse()), e),
            ClientResultException { Status: 408 or 504 } e => new(dependency, DependencyFailure.Timeout, null, e),
            ClientResultException { Status: >= 500 } e => new(dependency, DependencyFailure.Unavailable, BoundedRetryPolicy.RetryAfter(e.GetRawResponse()), e),
            ClientResultException { Status: 0 } e => new(dependency, DependencyFailure.Unavailable, null, e),
            HttpRequestException e => new(dependency, DependencyFailure.Unavailable, null, e),

            // A streamed response broken off after its headers (connection reset, response ended prematurely).
            IOException e => new(dependency, DependencyFailure.Unavailable, null, e),

            // A response that is not the API's JSON (a proxy's error page, a stream where an object was expected).
            JsonException e => new(dependency, DependencyFailure.Unavailable, null, e),
            OperationCanceledException e when !cancellationToken.IsCancellationRequested => new(dependency, DependencyFailure.Timeout, null, e),
            _ => null,
        };
        return translated is not null;
    }

    /// <summary>How long an Azure service asked to wait, if it said.</summary>
    private static TimeSpan? RetryAfter(RequestFailedException exception) =>
        exception.GetRawResponse() is { } response
            ? RetryAfterHeaders.Read(name => response.Headers.TryGetValue(name, out var value) ? value : null)
            : null;
}
