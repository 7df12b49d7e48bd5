namespace Ragtune.Core.FineTuning;

/// <summary>
/// Where fine-tune datasets go: a folder on the embedded default, the <c>datasets</c> blob container in Azure. An export
/// is a set of files under one name (a folder, or a blob prefix), made visible by its manifest, written last: a reader
/// ignores an export without one, so an export that stopped before its manifest is never seen.
/// </summary>
public interface IDatasetWriter
{
    /// <summary>A human-readable description of where exports go (a folder path, a container URI).</summary>
    string Location { get; }

    /// <summary>The manifest of the newest visible export (by name), or null when there is none.</summary>
    Task<DatasetManifest?> ReadLatestManifestAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts an export named <paramref name="name"/> (<c>{yyyyMMddTHHmmssZ}-{exportId}</c>). Disposing it without
    /// <see cref="IDatasetExport.CommitAsync"/> abandons it: what was written is removed where possible and never
    /// becomes visible.
    /// </summary>
    Task<IDatasetExport> BeginExportAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The names of the visible exports (those with a manifest), in name order, which is time order.</summary>
    Task<IReadOnlyList<string>> ListExportsAsync(CancellationToken cancellationToken = default);

    /// <summary>A file of a visible export, or null when there is no such export or file (for tuning: its data files, its manifest).</summary>
    Task<byte[]?> ReadFileAsync(string exportName, string fileName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a file beside a visible export's files, replacing one of that name: a report about the export (a tuning
    /// run's), never a data file or the manifest, which stay as the export wrote them.
    /// </summary>
    Task WriteFileAsync(string exportName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);
}

/// <summary>One export being written. Files are written front to back, once each (a blob can be uploaded as a stream).</summary>
public interface IDatasetExport : IAsyncDisposable
{
    /// <summary>The export's name.</summary>
    string Name { get; }

    /// <summary>Where the export's files are (a folder path, a blob prefix URI).</summary>
    string Location { get; }

    /// <summary>Creates a file of the export and returns a stream to write it; disposing the stream completes the file.</summary>
    Task<Stream> CreateFileAsync(string fileName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the export visible: writes <see cref="DatasetManifest.FileName"/>, atomically, after the data files are
    /// durable. Call it once, after every file's stream is disposed.
    /// </summary>
    Task CommitAsync(DatasetManifest manifest, CancellationToken cancellationToken = default);
}

/// <summary>Another export into the same place is running; try again when it is done.</summary>
public sealed class DatasetExportBusyException(string location, Exception? innerException = null)
    : RagtuneException($"Another export into {location} is running.", innerException)
{
    public override bool IsTransient => true;
}
