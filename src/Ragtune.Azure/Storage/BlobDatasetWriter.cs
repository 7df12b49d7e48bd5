using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;

namespace Ragtune.Azure.Storage;

/// <summary>
/// Fine-tune exports in the <c>datasets</c> container: <c>{yyyyMMddTHHmmssZ}-{exportId}/</c> with the data files, each
/// a block blob committed when its stream is disposed, then <c>manifest.json</c>, created only if absent, after every
/// data file is committed. A prefix without a manifest is an export that stopped: readers ignore it and the next export
/// removes it. One export at a time (a lease on <c>.export.lock</c>, renewed while the export runs).
/// </summary>
public sealed partial class BlobDatasetWriter(BlobServiceClient service, IOptions<AzureStorageOptions> options, ILogger<BlobDatasetWriter> logger)
    : IDatasetWriter
{
    private const string LockBlobName = ".export.lock";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    private readonly BlobContainerClient _container = service.GetBlobContainerClient(options.Value.DatasetsContainer);
    private volatile bool _containerExists;

    public string Location => _container.Uri.ToString();

    public async Task<DatasetManifest?> ReadLatestManifestAsync(CancellationToken cancellationToken = default)
    {
        await EnsureContainerAsync(cancellationToken);
        foreach (var name in (await ListExportNamesAsync(cancellationToken)).OrderDescending(StringComparer.Ordinal))
        {
            var manifest = _container.GetBlobClient($"{name}/{DatasetManifest.FileName}");
            try
            {
                var download = await StorageCalls.TranslateAsync(() => manifest.DownloadStreamingAsync(cancellationToken: cancellationToken), cancellationToken);
                await using var stream = download.Value.Content;
                return await DatasetManifest.ReadAsync(stream, cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                // An export without its manifest is invisible.
            }
        }

        return null;
    }

    public async Task<IDatasetExport> BeginExportAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatasetExportName.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not an export name (yyyyMMddTHHmmssZ-ULID).", nameof(name));
        }

        await EnsureContainerAsync(cancellationToken);
        var lease = await AcquireLockAsync(cancellationToken);
        try
        {
            await RemoveIncompleteExportsAsync(cancellationToken);
            return new BlobExport(_container, name, lease, logger);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    private async Task<ExportLease> AcquireLockAsync(CancellationToken cancellationToken)
    {
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

    private async Task<List<string>> ListExportNamesAsync(CancellationToken cancellationToken) =>
        await StorageCalls.TranslateAsync(
            async () =>
            {
                var names = new List<string>();
                await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix: null, cancellationToken))
                {
                    if (item.IsPrefix && DatasetExportName.IsValid(item.Prefix.TrimEnd('/')))
                    {
                        names.Add(item.Prefix.TrimEnd('/'));
                    }
                }

                return names;
            },
            cancellationToken);

    private async Task RemoveIncompleteExportsAsync(CancellationToken cancellationToken)
    {
        foreach (var name in await ListExportNamesAsync(cancellationToken))
        {
            var manifest = _container.GetBlobClient($"{name}/{DatasetManifest.FileName}");
            if (!(await StorageCalls.TranslateAsync(() => manifest.ExistsAsync(cancellationToken), cancellationToken)).Value)
            {
                LogIncompleteExportRemoved(logger, name);
                await DeletePrefixAsync(_container, name, cancellationToken);
            }
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerExists)
        {
            await StorageCalls.TranslateAsync(() => _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken);
            _containerExists = true;
        }
    }

    private static async Task DeletePrefixAsync(BlobContainerClient container, string name, CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, name + "/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Removing {Export}: an export that stopped before its manifest")]
    private static partial void LogIncompleteExportRemoved(ILogger logger, string export);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Could not remove the abandoned export {Export}; it stays invisible and the next export removes it")]
    private static partial void LogAbandonedExportNotRemoved(ILogger logger, Exception exception, string export);

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

    private sealed class BlobExport(BlobContainerClient container, string name, ExportLease lease, ILogger logger) : IDatasetExport
    {
        private bool _committed;
        private bool _disposed;

        public string Name => name;

        public string Location => $"{container.Uri}/{name}";

        public async Task<Stream> CreateFileAsync(string fileName, CancellationToken cancellationToken = default)
        {
            if (fileName != Path.GetFileName(fileName) || fileName.Contains('/', StringComparison.Ordinal) || fileName == DatasetManifest.FileName)
            {
                throw new ArgumentException($"'{fileName}' cannot be a data file of an export.", nameof(fileName));
            }

            var blob = container.GetBlockBlobClient($"{name}/{fileName}");
            return await StorageCalls.TranslateAsync(
                () => blob.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/jsonl" } }, cancellationToken),
                cancellationToken);
        }

        public async Task CommitAsync(DatasetManifest manifest, CancellationToken cancellationToken = default)
        {
            if (_committed)
            {
                throw new InvalidOperationException("The export is already committed.");
            }

            // Each data file's blocks were committed when its stream was disposed; the manifest is created once, last.
            var blob = container.GetBlobClient($"{name}/{DatasetManifest.FileName}");
            await StorageCalls.TranslateAsync(
                () => blob.UploadAsync(
                    BinaryData.FromBytes(manifest.ToUtf8Bytes()),
                    new BlobUploadOptions
                    {
                        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    },
                    cancellationToken),
                cancellationToken);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                if (!_committed)
                {
                    await DeletePrefixAsync(container, name, CancellationToken.None);
                }
            }
            catch (RequestFailedException exception)
            {
                LogAbandonedExportNotRemoved(logger, exception, name);
            }
            finally
            {
                await lease.DisposeAsync();
            }
        }
    }
}
