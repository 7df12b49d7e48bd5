using Microsoft.Extensions.Logging;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// Exports, manifest last, into an <see cref="IDatasetStore"/> (a folder, a blob container): an export is
/// <c>{yyyyMMddTHHmmssZ}-{exportId}</c> with its data files, then <see cref="DatasetManifest.FileName"/>, written once
/// every data file is durable. An export without a manifest is one that stopped: readers ignore it and the next export
/// removes it. One export at a time (the store's lock, taken before anything is removed or written).
/// </summary>
public sealed class DatasetWriter(IDatasetStore store, ILogger<DatasetWriter> logger) : IDatasetWriter
{
    /// <summary>The suffix a store may give a file while it writes it (a manifest before its rename): never a data file's.</summary>
    public const string TemporarySuffix = ".tmp";

    private readonly IDatasetStore _store = store;

    public string Location => _store.Location;

    public async Task<DatasetManifest?> ReadLatestManifestAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in (await ExportNamesAsync(cancellationToken)).OrderDescending(StringComparer.Ordinal))
        {
            // An export without its manifest is invisible.
            if (await _store.OpenReadAsync(name, DatasetManifest.FileName, cancellationToken) is { } stream)
            {
                await using (stream)
                {
                    return await DatasetManifest.ReadAsync(stream, cancellationToken);
                }
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

        var exportLock = await _store.LockAsync(cancellationToken);
        try
        {
            await RemoveIncompleteExportsAsync(cancellationToken);
            return new Export(this, name, exportLock);
        }
        catch
        {
            await exportLock.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<string>> ListExportsAsync(CancellationToken cancellationToken = default)
    {
        var visible = new List<string>();
        foreach (var name in (await ExportNamesAsync(cancellationToken)).Order(StringComparer.Ordinal))
        {
            if (await _store.ExistsAsync(name, DatasetManifest.FileName, cancellationToken))
            {
                visible.Add(name);
            }
        }

        return visible;
    }

    public async Task<byte[]?> ReadFileAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        ExportFileNames.EnsureReadable(exportName, fileName);
        if (!await _store.ExistsAsync(exportName, DatasetManifest.FileName, cancellationToken)
            || await _store.OpenReadAsync(exportName, fileName, cancellationToken) is not { } stream)
        {
            return null;
        }

        await using (stream)
        {
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes, cancellationToken);
            return bytes.ToArray();
        }
    }

    public async Task WriteFileAsync(string exportName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ExportFileNames.EnsureReport(exportName, fileName);
        if (!await _store.ExistsAsync(exportName, DatasetManifest.FileName, cancellationToken))
        {
            throw new InvalidOperationException($"There is no export {exportName} in {Location}.");
        }

        await _store.WriteFileAsync(exportName, fileName, content, cancellationToken);
    }

    private async Task<IEnumerable<string>> ExportNamesAsync(CancellationToken cancellationToken) =>
        (await _store.ListAsync(cancellationToken)).Where(DatasetExportName.IsValid);

    private async Task RemoveIncompleteExportsAsync(CancellationToken cancellationToken)
    {
        foreach (var name in (await ExportNamesAsync(cancellationToken)).ToList())
        {
            if (!await _store.ExistsAsync(name, DatasetManifest.FileName, cancellationToken))
            {
                Log.IncompleteExportRemoved(logger, name, Location);
                await TryDeleteAsync(name, cancellationToken);
            }
        }
    }

    /// <summary>Removes an export that never became visible; one that cannot be removed stays invisible, and the next export tries again.</summary>
    private async Task TryDeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _store.DeleteAsync(name, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.ExportNotRemoved(logger, exception, name, Location);
        }
    }

    private sealed class Export(DatasetWriter writer, string name, IAsyncDisposable exportLock) : IDatasetExport
    {
        private readonly List<string> _files = [];
        private bool _committed;
        private bool _disposed;

        public string Name => name;

        public string Location => writer._store.LocationOf(name);

        public async Task<Stream> CreateFileAsync(string fileName, CancellationToken cancellationToken = default)
        {
            if (fileName != Path.GetFileName(fileName)
                || fileName.Contains('/', StringComparison.Ordinal)
                || fileName == DatasetManifest.FileName
                || fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{fileName}' cannot be a data file of an export.", nameof(fileName));
            }

            var stream = await writer._store.CreateAsync(name, fileName, cancellationToken);
            _files.Add(fileName);
            return stream;
        }

        public async Task CommitAsync(DatasetManifest manifest, CancellationToken cancellationToken = default)
        {
            if (_committed)
            {
                throw new InvalidOperationException("The export is already committed.");
            }

            await writer._store.WriteManifestAsync(name, _files, manifest.ToUtf8Bytes(), cancellationToken);
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
                    await writer.TryDeleteAsync(name, CancellationToken.None);
                }
            }
            finally
            {
                await exportLock.DisposeAsync();
            }
        }
    }
}
