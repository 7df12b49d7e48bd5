using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;

namespace Ragtune.Azure.Storage;

/// <summary>
/// Fine-tune exports in the <c>datasets</c> container (<see cref="DatasetWriter"/> holds the protocol): a prefix
/// <c>{export}/</c> with the data files, each a block blob committed when its stream is disposed, then
/// <c>manifest.json</c>, created only if absent, after every data file is committed. One export at a time: a lease on
/// <c>.export.lock</c>, renewed while the export runs.
/// </summary>
public sealed partial class BlobDatasetStore(BlobServiceClient service, IOptions<AzureStorageOptions> options, ILogger<BlobDatasetStore> logger)
    : IDatasetStore
{
    private const string LockBlobName = ".export.lock";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    private readonly BlobContainerClient _container = service.GetBlobContainerClient(options.Value.DatasetsContainer);
    private volatile bool _containerExists;

    public string Location => _container.Uri.ToString();

    public string LocationOf(string exportName) => $"{_container.Uri}/{exportName}";

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        return await StorageCalls.TranslateAsync(
            async () =>
            {
                var names = new List<string>();
                await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken))
                {
                    if (item.IsPrefix)
                    {
                        names.Add(item.Prefix.TrimEnd('/'));
                    }
                }

                return names;
            },
            cancellationToken);
    }

    public async Task<bool> ExistsAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlobClient($"{exportName}/{fileName}");
        return (await StorageCalls.TranslateAsync(() => blob.ExistsAsync(cancellationToken), cancellationToken)).Value;
    }

    public async Task<Stream?> OpenReadAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlobClient($"{exportName}/{fileName}");
        try
        {
            var download = await StorageCalls.TranslateAsync(() => blob.DownloadStreamingAsync(cancellationToken: cancellationToken), cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string exportName, CancellationToken cancellationToken = default)
    {
        await StorageCalls.TranslateAsync(
            async () =>
            {
                await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, exportName + "/", cancellationToken))
                {
                    await _container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                }
            },
            cancellationToken);
    }

    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        var lockBlob = _container.GetBlobClient(LockBlobName);
        try
        {
            await StorageCalls.TranslateAsync(
                () => lockBlob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken),
                cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 409 or 412)
        {
            // The lock blob exists already (it is never deleted); its lease is the lock.
        }

        var leaseClient = lockBlob.GetBlobLeaseClient();
        try
        {
            await StorageCalls.TranslateAsync(() => leaseClient.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            throw new DatasetExportBusyException(Location, exception);
        }

        return new ExportLease(leaseClient, LeaseDuration, logger);
    }

    public async Task<Stream> CreateAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlockBlobClient($"{exportName}/{fileName}");
        return await StorageCalls.TranslateAsync(
            () => blob.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/jsonl" } }, cancellationToken),
            cancellationToken);
    }

    public async Task WriteFileAsync(string exportName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var blob = _container.GetBlobClient($"{exportName}/{fileName}");
        await StorageCalls.TranslateAsync(
            () => blob.UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken),
            cancellationToken);
    }

    public async Task WriteManifestAsync(string exportName, IReadOnlyList<string> dataFiles, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        // Each data file's blocks were committed when its stream was disposed; the manifest is created once, last.
        var blob = _container.GetBlobClient($"{exportName}/{DatasetManifest.FileName}");
        await StorageCalls.TranslateAsync(
            () => blob.UploadAsync(
                BinaryData.FromBytes(manifest),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                },
                cancellationToken),
            cancellationToken);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerExists)
        {
            await StorageCalls.TranslateAsync(() => _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken);
            _containerExists = true;
        }
    }

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Could not renew or release the export lock; another export may start once it lapses")]
    private static partial void LogLeaseFailed(ILogger logger, Exception exception);

    /// <summary>The export lock: a blob lease renewed in the background until disposed.</summary>
    private sealed class ExportLease : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;

        public ExportLease(BlobLeaseClient lease, TimeSpan duration, ILogger logger)
        {
            _lease = lease;
            _logger = logger;
            _renewal = RenewAsync(duration / 3);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            try
            {
                await _lease.ReleaseAsync();
            }
            catch (RequestFailedException exception)
            {
                LogLeaseFailed(_logger, exception);
            }

            _stop.Dispose();
        }

        private async Task RenewAsync(TimeSpan interval)
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    await _lease.RenewAsync(cancellationToken: _stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (RequestFailedException exception)
            {
                LogLeaseFailed(_logger, exception);
            }
        }
    }
}
