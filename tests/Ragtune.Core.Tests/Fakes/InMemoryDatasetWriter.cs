using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Tests.Fakes;

/// <summary>
/// Exports in memory. Only committed exports are visible; <see cref="FailBeforeManifest"/> makes the next commit throw
/// after the data files were written, as a crash between them and the manifest would.
/// </summary>
internal sealed class InMemoryDatasetWriter : IDatasetWriter
{
    private readonly List<Export> _committed = [];

    public bool FailBeforeManifest { get; set; }

    /// <summary>Exports begun and abandoned (disposed without commit), with what they had written.</summary>
    public List<Export> Abandoned { get; } = [];

    public IReadOnlyList<Export> Committed => _committed;

    public string Location => "memory://datasets";

    public Task<DatasetManifest?> ReadLatestManifestAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_committed.OrderBy(e => e.Name, StringComparer.Ordinal).LastOrDefault()?.Manifest);

    public Task<IDatasetExport> BeginExportAsync(string name, CancellationToken cancellationToken = default)
    {
        Assert.DoesNotContain(_committed, e => e.Name == name);
        return Task.FromResult<IDatasetExport>(new Export(name, this));
    }

    public Task<IReadOnlyList<string>> ListExportsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _committed.Select(e => e.Name).Order(StringComparer.Ordinal)]);

    public Task<byte[]?> ReadFileAsync(string exportName, string fileName, CancellationToken cancellationToken = default)
    {
        ExportFileNames.EnsureReadable(exportName, fileName);
        var export = _committed.SingleOrDefault(e => e.Name == exportName);
        var bytes = export is null ? null
            : fileName == DatasetManifest.FileName ? export.Manifest!.ToUtf8Bytes()
            : export.Reports.TryGetValue(fileName, out var report) ? report
            : export.Files.GetValueOrDefault(fileName);
        return Task.FromResult(bytes);
    }

    public Task WriteFileAsync(string exportName, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ExportFileNames.EnsureReport(exportName, fileName);
        _committed.Single(e => e.Name == exportName).Reports[fileName] = content.ToArray();
        return Task.CompletedTask;
    }

    internal sealed class Export(string name, InMemoryDatasetWriter writer) : IDatasetExport
    {
        /// <summary>Files written beside the export after it was committed.</summary>
        public Dictionary<string, byte[]> Reports { get; } = new(StringComparer.Ordinal);

        private readonly Dictionary<string, MemoryStream> _files = new(StringComparer.Ordinal);

        public string Name => name;

        public string Location => $"memory://datasets/{name}";

        public DatasetManifest? Manifest { get; private set; }

        public IReadOnlyDictionary<string, byte[]> Files => _files.ToDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal);

        public byte[] File(string fileName) => Files[fileName];

        public Task<Stream> CreateFileAsync(string fileName, CancellationToken cancellationToken = default)
        {
            Assert.Null(Manifest);
            Assert.False(_files.ContainsKey(fileName), $"{fileName} created twice");
            var stream = new MemoryStream();
            _files[fileName] = stream;
            return Task.FromResult<Stream>(new KeepOpenStream(stream));
        }

        public Task CommitAsync(DatasetManifest manifest, CancellationToken cancellationToken = default)
        {
            Assert.Null(Manifest);
            if (writer.FailBeforeManifest)
            {
                writer.FailBeforeManifest = false;
                throw new IOException("Simulated crash before the manifest.");
            }

            Manifest = manifest;
            writer._committed.Add(this);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (Manifest is null)
            {
                writer.Abandoned.Add(this);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Lets the test read a file after the exporter disposed its stream.</summary>
    private sealed class KeepOpenStream(MemoryStream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
