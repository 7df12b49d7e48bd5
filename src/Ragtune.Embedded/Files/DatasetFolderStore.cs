using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Files;

/// <summary>
/// Fine-tune exports as folders (<see cref="DatasetWriter"/> holds the protocol): <c>{root}/{export}/</c> with the data
/// files, then <c>manifest.json</c>, written to a temporary name, flushed to disk and renamed, after the data files are
/// flushed to disk. One export at a time writes into a root: the lock is a file, <c>.export.lock</c>, held open alone.
/// </summary>
public sealed class DatasetFolderStore(IOptions<DatasetFolderOptions> options, IOptions<SqliteStorageOptions> storage) : IDatasetStore
{
    /// <summary>The file an export holds open, alone, while it writes: a second export into the same folder is refused as busy.</summary>
    public const string LockFileName = ".export.lock";

    /// <summary>The folder holding the exports.</summary>
    public string Root { get; } = Path.GetFullPath(
        string.IsNullOrWhiteSpace(options.Value.OutputDirectory) ? Path.Combine(storage.Value.DataDirectory, "datasets") : options.Value.OutputDirectory);

    public string Location => Root;

    public string LocationOf(string exportName) => Path.Combine(Root, exportName);

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(
            Directory.Exists(Root) ? [.. Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()] : []);

    public Task<bool> ExistsAsync(string exportName, string fileName, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(Path.Combine(Root, exportName, fileName)));

    public Task<Stream?> OpenReadAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(Path.Combine(Root, exportName, fileName), FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string exportName, CancellationToken cancellationToken = default)
    {
        var folder = LocationOf(exportName);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Root);
        try
        {
            return Task.FromResult<IAsyncDisposable>(new FileStream(Path.Combine(Root, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception)
        {
            throw new DatasetExportBusyException(Root, exception);
        }
    }

    public Task<Stream> CreateAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateDirectory(LocationOf(exportName)).FullName;
        return Task.FromResult<Stream>(new FileStream(Path.Combine(folder, fileName), FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous));
    }

    public async Task WriteFileAsync(string exportName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var final = Path.Combine(Directory.CreateDirectory(LocationOf(exportName)).FullName, fileName);
        var temporary = final + DatasetWriter.TemporarySuffix;
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, final, overwrite: true);
    }

    public async Task WriteManifestAsync(string exportName, IReadOnlyList<string> dataFiles, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        var folder = Directory.CreateDirectory(LocationOf(exportName)).FullName;

        // The data files reach the disk before the manifest that makes them visible.
        foreach (var fileName in dataFiles)
        {
            using var file = new FileStream(Path.Combine(folder, fileName), FileMode.Open, FileAccess.Write, FileShare.Read);
            file.Flush(flushToDisk: true);
        }

        var final = Path.Combine(folder, DatasetManifest.FileName);
        var temporary = final + DatasetWriter.TemporarySuffix;
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(manifest, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, final, overwrite: false);
    }
}
