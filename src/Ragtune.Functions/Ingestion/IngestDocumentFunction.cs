using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ragtune.Core.Ingestion;

namespace Ragtune.Functions.Ingestion;

/// <summary>
/// A new or changed blob in the documents container (<c>Ragtune:AzureStorage:DocumentsContainer</c>, <c>documents</c> in
/// infra; Event Grid source, the only blob trigger of the Flex Consumption plan) is ingested. A transient failure throws, so the host retries, and after <c>poisonBlobThreshold</c> attempts moves the
/// blob to the poison queue; a permanent one (unsupported, corrupt) is recorded as the document's failed status by the
/// pipeline and ends the invocation, so it is not retried until the blob changes.
/// </summary>
public sealed partial class IngestDocumentFunction(IngestionPipeline pipeline, ILogger<IngestDocumentFunction> logger)
{
    /// <summary>The setting naming the documents container: the one <c>ReconcileIndex</c> lists and infra subscribes Event Grid to.</summary>
    public const string DocumentsContainerSetting = "Ragtune:AzureStorage:DocumentsContainer";

    [Function("IngestDocument")]
    public async Task RunAsync(
        [BlobTrigger("%" + DocumentsContainerSetting + "%/{name}", Source = BlobTriggerSource.EventGrid, Connection = "DocumentStorage")] BlobClient blob,
        CancellationToken cancellationToken)
    {
        if (!pipeline.CanIngest(blob.Name))
        {
            LogSkipped(logger, blob.Name);
            return;
        }

        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        var result = await pipeline.IngestAsync(DocumentBlobs.ToSource(blob, properties.Value.Metadata, properties.Value.ETag), cancellationToken: cancellationToken);
        if (result.Outcome == IngestionOutcome.TransientFailure)
        {
            throw new IngestionRetryException(result);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Skipped {Blob}: not a document type Ragtune reads")]
    private static partial void LogSkipped(ILogger logger, string blob);
}

/// <summary>Thrown for a transient ingestion failure, so that the Functions host retries the blob.</summary>
public sealed class IngestionRetryException(IngestionResult result)
    : Exception($"Ingestion of {result.Source} failed transiently: {result.Error}", result.Exception)
{
    public IngestionResult Result { get; } = result;
}
