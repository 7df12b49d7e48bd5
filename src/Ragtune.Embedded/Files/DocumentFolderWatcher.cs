using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core;
using Ragtune.Core.Documents;
using Ragtune.Core.Ingestion;

namespace Ragtune.Embedded.Files;

/// <summary>
/// Keeps the index in step with the documents folder: a full synchronisation at start (new and changed files
/// ingested, vanished ones removed if this folder ingested them; documents of other origins stay), then file-system events, debounced until a file stops changing, and a periodic
/// full synchronisation for anything the watcher missed (it can overflow, and renames of folders are coarse).
/// </summary>
public sealed partial class DocumentFolderWatcher(
    IngestionPipeline pipeline,
    DocumentReaders readers,
    IOptions<DocumentFolderOptions> options,
    TimeProvider time,
    ILogger<DocumentFolderWatcher> logger) : BackgroundService
{
    /// <summary>A queued path that means "compare the whole folder".</summary>
    private const string Everything = "";

    private readonly DocumentFolderOptions _options = options.Value;
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _firstSynchronization = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Documents whose last attempt failed transiently: failures in a row, and when to try again. Used by the one processing loop only.</summary>
    private readonly Dictionary<string, (int Failures, DateTimeOffset Due)> _retries = new(StringComparer.Ordinal);

    /// <summary>The disk was full at the last write: changes wait for the next full synchronisation. Used by the one processing loop only.</summary>
    private bool _paused;

    /// <summary>Completes when the folder has been ingested once (tests and the start-up banner wait on it).</summary>
    public Task FirstSynchronization => _firstSynchronization.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = new DocumentFolder(_options.Root, readers, Core.Index.DocumentOriginKind.WatchedFolder);
        if (!Directory.Exists(folder.Root))
        {
            LogFolderMissing(logger, folder.Root);
            _firstSynchronization.TrySetResult();
            return;
        }

        // Watch before the first listing: a file added while the folder is being ingested (minutes, for a large
        // folder) is queued now, not missed until the next full synchronisation.
        using var watcher = _options.Watch ? Watch(folder.Root) : null;
        try
        {
            var first = await SynchronizeAsync(folder, stoppingToken);
            if (first.OtherOrigins.Count > 0)
            {
                // One line at start: what serve will not remove, and how to see and remove it.
                var documents = first.OtherOrigins.Sum(o => o.Documents);
                var origins = string.Join("; ", first.OtherOrigins);
                LogOtherOrigins(logger, documents, origins);
            }
        }
        catch (StorageFullException exception)
        {
            Pause(exception);
        }
        finally
        {
            _firstSynchronization.TrySetResult();
        }

        if (watcher is null)
        {
            return;
        }

        LogWatching(logger, folder.Root);
        await ProcessChangesAsync(folder, stoppingToken);
    }

    /// <summary>Starts queuing the folder's file-system events; an overflow queues a full comparison.</summary>
    private FileSystemWatcher Watch(string root)
    {
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Changed += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Deleted += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            _changes.Writer.TryWrite(e.OldFullPath);
            _changes.Writer.TryWrite(e.FullPath);
        };
        watcher.Error += (_, _) => _changes.Writer.TryWrite(Everything);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private async Task ProcessChangesAsync(DocumentFolder folder, CancellationToken stoppingToken)
    {
        // Each pending path waits until it has been quiet (same size and time) for the debounce interval.
        var pending = new Dictionary<string, (DateTimeOffset Due, FileStamp Stamp)>(StringComparer.Ordinal);
        var nextResync = time.GetUtcNow() + _options.ResyncInterval;
        var tick = TimeSpan.FromMilliseconds(Math.Min(250, _options.Debounce.TotalMilliseconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                wait.CancelAfter(tick);
                try
                {
                    await _changes.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }

            var now = time.GetUtcNow();
            while (_changes.Reader.TryRead(out var path))
            {
                pending[path] = (now + _options.Debounce, FileStamp.Of(path));
                LogChangeQueued(logger, path, _options.Debounce);
            }

            if (_paused && now < nextResync && !pending.ContainsKey(Everything))
            {
                // The disk is full: no document is read until the next full synchronisation, which finds every change.
                pending.Clear();
                continue;
            }

            foreach (var (path, (failures, _)) in _retries.Where(r => r.Value.Due <= now).ToList())
            {
                // Taken now; the attempt's outcome schedules it again or clears it (TrackRetry).
                _retries[path] = (failures, DateTimeOffset.MaxValue);
                pending[path] = (now, FileStamp.Of(path));
            }

            if (pending.Remove(Everything) || now >= nextResync)
            {
                pending.Clear();
                nextResync = now + _options.ResyncInterval;
                _paused = false;
                await RunSafelyAsync(async () => await SynchronizeAsync(folder, stoppingToken));
                continue;
            }

            foreach (var (path, (due, stamp)) in pending.Where(p => p.Value.Due <= now).ToList())
            {
                if (_paused)
                {
                    break;
                }

                var current = FileStamp.Of(path);
                if (current != stamp)
                {
                    pending[path] = (now + _options.Debounce, current);
                    continue;
                }

                pending.Remove(path);
                await RunSafelyAsync(() => ApplyAsync(folder, path, stoppingToken));
            }
        }
    }

    private async Task ApplyAsync(DocumentFolder folder, string path, CancellationToken cancellationToken)
    {
        if (DocumentReaders.IsAccessControlSidecar(path))
        {
            // A sidecar changed: the document beside it is re-ingested with its new groups.
            path = path[..^DocumentReaders.AccessControlSuffix.Length];
        }

        if (File.Exists(path))
        {
            if (folder.Contains(path))
            {
                var result = await pipeline.IngestAsync(folder.Get(path), cancellationToken: cancellationToken);
                LogApplied(logger, result.Source, result.Outcome);
                TrackRetry(path, result);
            }
            else
            {
                // No longer a document of the folder (hidden, renamed to an unsupported type): nothing to retry.
                _retries.Remove(Path.GetFullPath(path));
            }

            return;
        }

        if (Directory.Exists(path) || !readers.IsSupported(path))
        {
            // A folder appeared, vanished or moved: compare everything.
            await SynchronizeAsync(folder, cancellationToken);
            return;
        }

        _retries.Remove(Path.GetFullPath(path));
        await pipeline.RemoveIfOwnedAsync(folder.ToSource(path), folder.Origin, cancellationToken);
    }

    private async Task<SynchronizationResult> SynchronizeAsync(DocumentFolder folder, CancellationToken cancellationToken)
    {
        var result = await pipeline.SynchronizeAsync(folder.Origin, folder.List(), cancellationToken: cancellationToken);
        foreach (var ingested in result.Ingested)
        {
            TrackRetry(Path.Combine(folder.Root, ingested.Source), ingested);
        }

        var indexed = result.Ingested.Count(r => r.Outcome == IngestionOutcome.Indexed);
        var unchanged = result.Ingested.Count(r => r.Outcome == IngestionOutcome.Unchanged);
        var failed = result.Ingested.Count(r => !r.Succeeded);
        LogSynchronized(logger, folder.Root, indexed, unchanged, failed, result.Removed.Count);
        return result;
    }

    /// <summary>After a transient failure, schedules the document again with a doubling wait; any other outcome clears it.</summary>
    private void TrackRetry(string path, IngestionResult result)
    {
        path = Path.GetFullPath(path);
        if (result.Outcome != IngestionOutcome.TransientFailure)
        {
            _retries.Remove(path);
            return;
        }

        var failures = _retries.TryGetValue(path, out var previous) ? previous.Failures + 1 : 1;
        var wait = TimeSpan.FromTicks(Math.Min(_options.RetryDelay.Ticks * (1L << Math.Min(failures - 1, 20)), _options.ResyncInterval.Ticks));
        _retries[path] = (failures, time.GetUtcNow() + wait);
        LogRetryScheduled(logger, result.Source, failures, wait);
    }

    /// <summary>
    /// A failure to apply one change is logged and the watcher goes on; the next resync tries again. A full disk
    /// pauses the watcher instead (<see cref="Pause"/>).
    /// </summary>
    private async Task RunSafelyAsync(Func<Task> apply)
    {
        try
        {
            await apply();
        }
        catch (StorageFullException exception)
        {
            Pause(exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or Core.RagtuneException)
        {
            LogChangeFailed(logger, exception);
        }
    }

    /// <summary>
    /// The disk is full: one warning naming the folder and how many documents were not ingested, and no document is
    /// read until the next full synchronisation, rather than every change failing alone.
    /// </summary>
    private void Pause(StorageFullException exception)
    {
        _paused = true;
        _retries.Clear();
        LogFullDiskException(logger, exception);
        var notIngested = Math.Max(1, exception.NotIngested);
        LogPausedByFullDisk(logger, _options.Root, notIngested, notIngested == 1 ? "document" : "documents", _options.ResyncInterval);
    }

    private readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
    {
        public static FileStamp Of(string path)
        {
            var file = new FileInfo(path);
            return file.Exists ? new FileStamp(file.Length, file.LastWriteTimeUtc) : default;
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Synchronized {Root}: {Indexed} indexed, {Unchanged} unchanged, {Failed} failed, {Removed} removed")]
    private static partial void LogSynchronized(ILogger logger, string root, int indexed, int unchanged, int failed, int removed);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Watching {Root} for changes")]
    private static partial void LogWatching(ILogger logger, string root);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "{Source}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, string source, IngestionOutcome outcome);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "The documents folder {Root} does not exist; nothing is ingested or watched")]
    private static partial void LogFolderMissing(ILogger logger, string root);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "{Source} failed transiently ({Failures} in a row); it is tried again in {Wait}")]
    private static partial void LogRetryScheduled(ILogger logger, string source, int failures, TimeSpan wait);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "{Path} changed; it is read once it has been unchanged for {Debounce}")]
    private static partial void LogChangeQueued(ILogger logger, string path, TimeSpan debounce);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "The data folder also holds {Documents} documents of other origins ({Origins}); they stay, `ragtune documents` lists them and `ragtune remove` removes them")]
    private static partial void LogOtherOrigins(ILogger logger, int documents, string origins);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "The disk of the data folder is full: ingesting {Root} is paused with {NotIngested} {Documents} not ingested, until the next full synchronisation (every {ResyncInterval}) after space is freed")]
    private static partial void LogPausedByFullDisk(ILogger logger, string root, int notIngested, string documents, TimeSpan resyncInterval);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Debug, Message = "The write that found the disk full")]
    private static partial void LogFullDiskException(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "A change in the documents folder could not be applied; the next synchronisation retries it")]
    private static partial void LogChangeFailed(ILogger logger, Exception exception);
}
