using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ragtune.Azure.Search;

/// <summary>
/// Creates or updates the search index in the background, so that the worker starts whatever the index's state (health,
/// every HTTP function and Event Grid's validation handshake with it): a failed attempt is tried again after a growing
/// delay (<see cref="SearchIndexReadiness"/>, on the app's <see cref="TimeProvider"/>) until the index is ready, or
/// until the service refuses the definition, which only a new setting mends.
/// </summary>
internal sealed partial class SearchIndexSetup(
    AzureSearchChunkIndex index, SearchIndexReadiness readiness, TimeProvider time, ILogger<SearchIndexSetup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        readiness.Starting();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await index.CreateOrUpdateIndexAsync(stoppingToken);
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                if (readiness.IsPermanentlyRefused)
                {
                    LogRefused(logger, exception);
                    return;
                }

                var wait = readiness.RetryAt - time.GetUtcNow();
                LogNotReady(logger, wait, exception);
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "The search index is not ready; trying again in {Wait}")]
    private static partial void LogNotReady(ILogger logger, TimeSpan wait, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Azure AI Search refused the index definition; health reports it until Ragtune:Search:IndexName names a new index")]
    private static partial void LogRefused(ILogger logger, Exception exception);
}
