using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;
using Ragtune.Testing.Contracts;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>The files of finished exports in folders: listed, read, and a report written beside them.</summary>
public sealed class DatasetFolderStoreFilesTests : DatasetWriterFilesContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    public DatasetFolderStoreFilesTests() => Writer = new DatasetWriter(
        new DatasetFolderStore(Options.Create(new DatasetFolderOptions()), Options.Create(new SqliteStorageOptions { DataDirectory = _directory.Combine("data") })),
        NullLogger<DatasetWriter>.Instance);

    protected override IDatasetWriter Writer { get; }

    public void Dispose() => _directory.Dispose();
}
