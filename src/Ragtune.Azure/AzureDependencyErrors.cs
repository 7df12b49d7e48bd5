using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Ragtune.Core;

namespace Ragtune.Azure;

/// <summary>
/// Translates what the Azure SDK clients (Azure AI Search, Table and Blob Storage) throw into
/// <see cref="DependencyUnavailableException"/> when a retry may help: 429 (throttled, with the service's wait), 408 and
/// timeouts, 5xx and connection failures, and what every adapter translates (<see cref="DependencyFailures"/>). Anything
/// else (a wrong key, a missing permission) is a configuration error and stays as it is.
/// </summary>
internal static class AzureDependencyErrors
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
        Exception exception, string dependency, CancellationToken cancellationToken, [NotNullWhen(true)] out DependencyUnavailableException? translated) =>
        DependencyFailures.TryTranslate(exception, dependency, e => e switch
        {
            RequestFailedException { Status: 429 } failed => new(dependency, DependencyFailure.Throttled, ServerDelay.Of(failed), failed),
            RequestFailedException { Status: 408 or 504 } failed => new(dependency, DependencyFailure.Timeout, null, failed),
            RequestFailedException { Status: >= 500 or 0 } failed => new(dependency, DependencyFailure.Unavailable, ServerDelay.Of(failed), failed),
            HttpRequestException => new(dependency, DependencyFailure.Unavailable, null, e),
            _ => null,
        }, cancellationToken, out translated);

    /// <summary>
    /// How long an Azure service asked to wait, read as Azure.Core's own retries read it (<c>retry-after-ms</c>,
    /// <c>x-ms-retry-after-ms</c>, <c>Retry-After</c>): the server's delay and nothing of the client's own.
    /// </summary>
    private sealed class ServerDelay() : DelayStrategy(TimeSpan.Zero, jitterFactor: 0)
    {
        private static readonly ServerDelay Instance = new();

        public static TimeSpan? Of(RequestFailedException exception) =>
            exception.GetRawResponse() is { } response && Instance.GetNextDelay(response, 1) is { } wait && wait > TimeSpan.Zero ? wait : null;

        protected override TimeSpan GetNextDelayCore(Response? response, int retryNumber) => TimeSpan.Zero;
    }
}
