using System.ClientModel.Primitives;

namespace Ragtune.OpenAI;

/// <summary>
/// The OpenAI clients' retry policy, bounded: it waits as long as the service asks (<c>retry-after-ms</c>,
/// <c>x-ms-retry-after-ms</c> or <c>Retry-After</c>), but gives up at once when the service asks for longer than
/// <paramref name="maxDelay"/>, so a caller can pass the wait on to its own client instead of holding a request open.
/// </summary>
internal sealed class BoundedRetryPolicy(int maxRetries, TimeSpan maxDelay) : ClientRetryPolicy(maxRetries)
{
    protected override bool ShouldRetry(PipelineMessage message, Exception? exception) =>
        base.ShouldRetry(message, exception) && !(RetryAfter(message.Response) > maxDelay);

    protected override async ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception) =>
        await base.ShouldRetryAsync(message, exception) && !(RetryAfter(message.Response) > maxDelay);

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount) =>
        RetryAfter(message.Response) ?? base.GetNextDelay(message, tryCount);

    /// <summary>How long the service asked to wait, if it said.</summary>
    public static TimeSpan? RetryAfter(PipelineResponse? response) =>
        response is null ? null : RetryAfterHeaders.Read(name => response.Headers.TryGetValue(name, out var value) ? value : null);
}
