using Microsoft.Extensions.Logging.Abstractions;
using Ragtune.Azure.Storage;
using Ragtune.Core.FineTuning;
using Ragtune.Testing;
using Ragtune.Testing.Contracts;

namespace Ragtune.Azure.Tests.Storage;

/// <summary>The files of finished exports in a blob container (Azurite): listed, read, and a report written beside them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobDatasetStoreFilesTests(Azurite azurite) : DatasetWriterFilesContract
{
    protected override IDatasetWriter Writer { get; } = new DatasetWriter(
        new BlobDatasetStore(AzuriteStorage.Blobs(azurite), AzuriteStorage.UniqueOptions(azurite), NullLogger<BlobDatasetStore>.Instance),
        NullLogger<DatasetWriter>.Instance);
}
