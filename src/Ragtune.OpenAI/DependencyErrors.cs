using System.ClientModel;
using System.Diagnostics.CodeAnalysis;
using Ragtune.Core;

namespace Ragtune.OpenAI;

/// <summary>
/// Translates what the OpenAI clients (OpenAI and Azure OpenAI, on System.ClientModel) throw (<see cref="ClientResultException"/>) into <see cref="DependencyUnavailableException"/> when a retry
/// may help: 429 (throttled, with the service's Retry-After), 408 and timeouts, 5xx and connection failures, also
/// in the middle of a streamed answer, and a response that cannot be read as the API's.
/// Retries that all failed count as their last failure. Anything else (a wrong key, an unknown deployment) is a
/// configuration error and stays as it is.
/// </summary>
internal static class DependencyErrors
{
    public static bool TryTranslate(
        Exception exception, string dependency, CancellationToken cancellationToken, [NotNullWhen(true)] out DependencyUnavailableException? translated) =>
        DependencyFailures.TryTranslate(exception, dependency, e => e switch
        {
            ClientResultException { Status: 429 } failed => new(dependency, DependencyFailure.Throttled, BoundedRetryPolicy.RetryAfter(failed.GetRawResponse()), failed),
            ClientResultException { Status: 408 or 504 } failed => new(dependency, DependencyFailure.Timeout, null, failed),
            ClientResultException { Status: >= 500 } failed => new(dependency, DependencyFailure.Unavailable, BoundedRetryPolicy.RetryAfter(failed.GetRawResponse()), failed),
            ClientResultException { Status: 0 } failed => new(dependency, DependencyFailure.Unavailable, null, failed),
            HttpRequestException => new(dependency, DependencyFailure.Unavailable, null, e),
            _ => null,
        }, cancellationToken, out translated);
}
