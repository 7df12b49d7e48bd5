namespace Ragtune.Core.FineTuning;

/// <summary>
/// Where <see cref="DatasetWriter"/> keeps exports: a folder of folders on the embedded default, a blob container of
/// prefixes in Azure. The writer holds the protocol (export names, the lock, removing exports that stopped, the newest
/// manifest, manifest last); a store only lists, checks, reads, deletes, locks and writes what it is told to.
/// </summary>
public interface IDatasetStore
{
    /// <summary>A human-readable description of where exports go (a folder path, a container URI).</summary>
    string Location { get; }

    /// <summary>Where the files of the export named <paramref name="exportName"/> are (a folder path, a blob prefix URI).</summary>
    string LocationOf(string exportName);

    /// <summary>The names of the entries at the top of the store (folders, blob prefixes), export names or not; none when the store does not exist yet.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the export has a file of this name.</summary>
    Task<bool> ExistsAsync(string exportName, string fileName, CancellationToken cancellationToken = default);

    /// <summary>A stream to read a file of the export, or null when there is no such file.</summary>
    Task<Stream?> OpenReadAsync(string exportName, string fileName, CancellationToken cancellationToken = default);

    /// <summary>Removes the export and every file in it; nothing to remove is not an error.</summary>
    Task DeleteAsync(string exportName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the store's export lock, held until the result is disposed. Throws <see cref="DatasetExportBusyException"/>
    /// when another export holds it.
    /// </summary>
    Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a data file of the export and returns a stream to write it; disposing the stream completes the file.</summary>
    Task<Stream> CreateAsync(string exportName, string fileName, CancellationToken cancellationToken = default);

    /// <summary>Writes a whole file of the export, replacing one of that name atomically (a reader sees the old file or the new).</summary>
    Task WriteFileAsync(string exportName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the export visible: once <paramref name="dataFiles"/> (all complete) are durable, writes
    /// <see cref="DatasetManifest.FileName"/> with <paramref name="manifest"/> as its content, atomically and only if it
    /// does not exist yet.
    /// </summary>
    Task WriteManifestAsync(string exportName, IReadOnlyList<string> dataFiles, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default);
}
