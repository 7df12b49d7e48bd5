using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Files;

/// <summary>
/// Fine-tune exports as folders: <c>{root}/{yyyyMMddTHHmmssZ}-{exportId}/</c> with the data files, then
/// <c>manifest.json</c>, written to a temporary name, flushed to disk and renamed, after the data files are flushed to
/// disk. A folder without a manifest is an export that stopped: readers ignore it, and the next export removes it. One
/// export at a time writes into a root (a lock file, <c>.export.lock</c>, held while it runs).
/// </summary>
public sealed partial class DatasetFolderWriter(
    IOptions<DatasetFolderOptions> options,
    IOptions<SqliteStorageOptions> storage,
    ILogger<DatasetFolderWriter> logger) : IDatasetWriter
{
    /// <summary>The file an export holds open, alone, while it writes: a second export into the same folder is refused as busy.</summary>
    public const string LockFileName = ".export.lock";

    private const string TemporarySuffix = ".tmp";

    /// <summary>The folder holding the exports.</summary>
    public string Root { get; } = Path.GetFullPath(
        string.IsNullOrWhiteSpace(options.Value.OutputDirectory) ? Path.Combine(storage.Value.DataDirectory, "datasets") : options.Value.OutputDirectory);

    public string Location => Root;

    public async Task<DatasetManifest?> ReadLatestManifestAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Root))
        {
            return null;
        }

        foreach (var name in ExportNames().OrderDescending(StringComparer.Ordinal))
        {
            var path = Path.Combine(Root, name, DatasetManifest.FileName);
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
                return await DatasetManifest.ReadAsync(stream, cancellationToken);
            }
        }

        return null;
    }

    public Task<IDatasetExport> BeginExportAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!ExportName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not an export name (yyyyMMddTHHmmssZ-ULID).", nameof(name));
        }

        Directory.CreateDirectory(Root);
        FileStream exportLock;
        try
        {
            exportLock = new FileStream(Path.Combine(Root, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception)
        {
            throw new DatasetExportBusyException(Root, exception);
        }

        try
        {
            RemoveIncompleteExports();
            var folder = Path.Combine(Root, name);
            Directory.CreateDirectory(folder);
            return Task.FromResult<IDatasetExport>(new FolderExport(name, folder, exportLock, logger));
        }
        catch
        {
            exportLock.Dispose();
            throw;
        }
    }

    private IEnumerable<string> ExportNames() =>
        Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>().Where(name => ExportName().IsMatch(name));

    private void RemoveIncompleteExports()
    {
        foreach (var name in ExportNames().ToList())
        {
            var folder = Path.Combine(Root, name);
            if (!File.Exists(Path.Combine(folder, DatasetManifest.FileName)))
            {
                LogIncompleteExportRemoved(logger, folder);
                TryDelete(folder, logger);
            }
        }
    }

    private static void TryDelete(string folder, ILogger logger)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogFolderNotRemoved(logger, exception, folder);
        }
    }

    [GeneratedRegex(@"^[0-9]{8}T[0-9]{6}Z-[0-9A-HJKMNP-TV-Z]{26}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExportName();

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Removing {Folder}: an export that stopped before its manifest")]
    private static partial void LogIncompleteExportRemoved(ILogger logger, string folder);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Could not remove the incomplete export {Folder}; it stays invisible and the next export tries again")]
    private static partial void LogFolderNotRemoved(ILogger logger, Exception exception, string folder);

    private sealed class FolderExport(string name, string folder, FileStream exportLock, ILogger logger) : IDatasetExport
    {
        private readonly List<string> _files = [];
        private bool _committed;

        public string Name => name;

        public string Location => folder;

        public Task<Stream> CreateFileAsync(string fileName, CancellationToken cancellationToken = default)
        {
            if (fileName != Path.GetFileName(fileName) || fileName == DatasetManifest.FileName || fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{fileName}' cannot be a data file of an export.", nameof(fileName));
            }

            var path = Path.Combine(folder, fileName);
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            _files.Add(path);
            return Task.FromResult<Stream>(stream);
        }

        public async Task CommitAsync(DatasetManifest manifest, CancellationToken cancellationToken = default)
        {
            if (_committed)
            {
                throw new InvalidOperationException("The export is already committed.");
            }

            // The data files reach the disk before the manifest that makes them visible.
            foreach (var path in _files)
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
                file.Flush(flushToDisk: true);
            }

            var final = Path.Combine(folder, DatasetManifest.FileName);
            var temporary = final + TemporarySuffix;
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(manifest.ToUtf8Bytes(), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, final, overwrite: false);
            _committed = true;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                TryDelete(folder, logger);
            }

            exportLock.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
