using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Azure.Storage;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;

namespace Ragtune.Functions.Ingestion;

/// <summary>
/// Hourly: makes the index match the documents container. Blob deletes trigger nothing, and an Event Grid event can be
/// missed: chunks of the container's documents whose blob is gone are removed (documents the catalog records from another
/// origin stay: the same rule as <c>ragtune serve</c>'s folder), and blobs the catalog lacks at their current content are
/// ingested. A blob whose ETag is the one last ingested is not read: an hourly run over an unchanged container costs
/// its listing and one catalog read per blob.
/// </summary>
public sealed partial class ReconcileIndexFunction(
    IngestionPipeline pipeline, BlobServiceClient blobs, IOptions<AzureStorageOptions> options, ILogger<ReconcileIndexFunction> logger)
{
    [Function("ReconcileIndex")]
    public async Task RunAsync([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(options.Value.DocumentsContainer);
        var current = new List<SourceDocument>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix: null, cancellationToken))
        {
            if (pipeline.CanIngest(item.Name))
            {
                current.Add(DocumentBlobs.ToSource(container.GetBlobClient(item.Name), item.Metadata, item.Properties.ETag));
            }
        }

        var result = await pipeline.SynchronizeAsync(DocumentOrigin.Container(container.Name), current, cancellationToken: cancellationToken);
        var indexed = result.Ingested.Count(r => r.Outcome == IngestionOutcome.Indexed);
        var retrying = result.Ingested.Count(r => r.Outcome == IngestionOutcome.TransientFailure);
        LogReconciled(logger, indexed, result.Removed.Count, retrying, timer.IsPastDue);
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Reconciled the index: {Indexed} documents ingested, {Removed} removed, {Retrying} left for the next run (late run: {PastDue})")]
    private static partial void LogReconciled(ILogger logger, int indexed, int removed, int retrying, bool pastDue);
}
