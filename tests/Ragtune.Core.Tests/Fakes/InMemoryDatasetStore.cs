using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Tests.Fakes;

/// <summary>
/// A dataset store in memory that keeps a journal of what it was asked to do, in order (<c>lock</c>, <c>list</c>,
/// <c>exists EXPORT/FILE</c>, <c>read EXPORT/FILE</c>, <c>delete EXPORT</c>, <c>create EXPORT/FILE</c>,
/// <c>manifest EXPORT [FILES]</c>, <c>unlock</c>). It refuses what a real store would: a second lock, a data file written
/// twice, a manifest written twice.
/// </summary>
internal sealed class InMemoryDatasetStore : IDatasetStore
{
    private readonly Dictionary<string, Dictionary<string, byte[]>> _exports = new(StringComparer.Ordinal);
    private readonly List<string> _journal = [];
    private bool _locked;

    public IReadOnlyList<string> Journal
    {
        get
        {
            lock (_journal)
            {
                return [.. _journal];
            }
        }
    }

    /// <summary>When set, listing throws it.</summary>
    public Exception? ListFailure { get; set; }

    /// <summary>When set, deleting throws it.</summary>
    public Exception? DeleteFailure { get; set; }

    public bool IsLocked => _locked;

    public string Location => "memory://datasets";

    public string LocationOf(string exportName) => $"memory://datasets/{exportName}";

    /// <summary>Puts a file into the store directly, as an earlier run (or someone else) left it.</summary>
    public void Put(string exportName, string fileName, byte[] content) => Files(exportName)[fileName] = content;

    public IReadOnlyCollection<string> FilesOf(string exportName) =>
        _exports.TryGetValue(exportName, out var files) ? [.. files.Keys.Order(StringComparer.Ordinal)] : [];

    public bool Contains(string exportName) => _exports.ContainsKey(exportName);

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        Record("list");
        if (ListFailure is not null)
        {
            throw ListFailure;
        }

        return Task.FromResult<IReadOnlyList<string>>([.. _exports.Keys]);
    }

    public Task<bool> ExistsAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        Record($"exists {exportName}/{fileName}");
        return Task.FromResult(_exports.TryGetValue(exportName, out var files) && files.ContainsKey(fileName));
    }

    public Task<Stream?> OpenReadAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        Record($"read {exportName}/{fileName}");
        return Task.FromResult<Stream?>(
            _exports.TryGetValue(exportName, out var files) && files.TryGetValue(fileName, out var content) ? new MemoryStream(content, writable: false) : null);
    }

    public Task DeleteAsync(string exportName, CancellationToken cancellationToken = default)
    {
        Record($"delete {exportName}");
        if (DeleteFailure is not null)
        {
            throw DeleteFailure;
        }

        _exports.Remove(exportName);
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken = default)
    {
        if (_locked)
        {
            throw new DatasetExportBusyException(Location);
        }

        Record("lock");
        _locked = true;
        return Task.FromResult<IAsyncDisposable>(new Lock(this));
    }

    public Task WriteFileAsync(string exportName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        Record($"write {exportName}/{fileName}");
        Files(exportName)[fileName] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<Stream> CreateAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        Record($"create {exportName}/{fileName}");
        Assert.True(_locked, "a data file is written under the lock");
        var files = Files(exportName);
        Assert.False(files.ContainsKey(fileName), $"{fileName} created twice");
        files[fileName] = [];
        return Task.FromResult<Stream>(new FileContent(files, fileName));
    }

    public Task WriteManifestAsync(string exportName, IReadOnlyList<string> dataFiles, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        Record($"manifest {exportName} [{string.Join(", ", dataFiles)}]");
        Assert.True(_locked, "the manifest is written under the lock");
        var files = Files(exportName);
        Assert.False(files.ContainsKey(DatasetManifest.FileName), "the manifest is written once");
        files[DatasetManifest.FileName] = manifest.ToArray();
        return Task.CompletedTask;
    }

    private Dictionary<string, byte[]> Files(string exportName)
    {
        if (!_exports.TryGetValue(exportName, out var files))
        {
            files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            _exports[exportName] = files;
        }

        return files;
    }

    private void Record(string entry)
    {
        lock (_journal)
        {
            _journal.Add(entry);
        }
    }

    private sealed class Lock(InMemoryDatasetStore store) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Assert.True(store._locked, "the lock is released once");
            store.Record("unlock");
            store._locked = false;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A data file being written: its content is stored when the stream is disposed.</summary>
    private sealed class FileContent(Dictionary<string, byte[]> files, string fileName) : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                files[fileName] = ToArray();
            }

            base.Dispose(disposing);
        }
    }
}
