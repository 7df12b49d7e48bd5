namespace Ragtune.Core;

/// <summary>How a service that Ragtune depends on (chat, embeddings, search, storage) failed.</summary>
public enum DependencyFailure
{
    /// <summary>The service is throttling (HTTP 429) past the retry budget.</summary>
    Throttled,

    /// <summary>The service is down or failing (5xx, connection refused or reset).</summary>
    Unavailable,

    /// <summary>The service did not answer in time.</summary>
    Timeout,
}

/// <summary>
/// A dependency failed in a way that a later retry may fix. Adapters translate SDK and HTTP errors into this
/// exception; hosts turn it into 429/503/504 with Retry-After, or into a retried trigger.
/// </summary>
public sealed class DependencyUnavailableException : RagtuneException
{
    public DependencyUnavailableException(string dependency, DependencyFailure failure, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base($"{dependency} is unavailable ({failure}).", innerException)
    {
        Dependency = dependency;
        Failure = failure;
        RetryAfter = retryAfter;
    }

    /// <summary>A short name of the dependency, such as "embeddings" or "chat".</summary>
    public string Dependency { get; }

    public DependencyFailure Failure { get; }

    /// <summary>How long the service asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    public override bool IsTransient => true;
}
