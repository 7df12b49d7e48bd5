using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ragtune.Core;

/// <summary>
/// The part of translating a dependency's failure into <see cref="DependencyUnavailableException"/> that every adapter
/// shares: retries that all failed count as their last failure, a response broken off or unreadable is the service
/// being unavailable, and a call abandoned by its own timeout (not by the caller) is a timeout. What the client's own
/// exceptions mean (status codes, the service's wait) the adapter says.
/// </summary>
public static class DependencyFailures
{
    /// <param name="exception">What the call threw.</param>
    /// <param name="dependency">The dependency's short name, such as "search" or "chat".</param>
    /// <param name="translateClientFailure">The adapter's reading of its client's exceptions; null when it is not one.</param>
    /// <param name="cancellationToken">The caller's token: a cancellation the caller asked for is not a failure.</param>
    /// <param name="translated">The failure, when a retry may help.</param>
    public static bool TryTranslate(
        Exception exception,
        string dependency,
        Func<Exception, DependencyUnavailableException?> translateClientFailure,
        CancellationToken cancellationToken,
        [NotNullWhen(true)] out DependencyUnavailableException? translated)
    {
        // After its last retry an SDK's pipeline throws every attempt's failure together ("Retry failed after N
        // tries"); the last attempt says how the call ended.
        if (exception is AggregateException { InnerExceptions: [.., var last] }
            && TryTranslate(last, dependency, translateClientFailure, cancellationToken, out var lastAttempt))
        {
            translated = new(dependency, lastAttempt.Failure, lastAttempt.RetryAfter, exception);
            return true;
        }

        translated = translateClientFailure(exception) ?? exception switch
        {
            // A response broken off after its headers (connection reset, response ended prematurely).
            IOException => new(dependency, DependencyFailure.Unavailable, null, exception),

            // A response that is not the service's JSON (a proxy's error page, a stream where an object was expected).
            JsonException => new(dependency, DependencyFailure.Unavailable, null, exception),
            OperationCanceledException when !cancellationToken.IsCancellationRequested => new(dependency, DependencyFailure.Timeout, null, exception),
            _ => null,
        };
        return translated is not null;
    }
}
