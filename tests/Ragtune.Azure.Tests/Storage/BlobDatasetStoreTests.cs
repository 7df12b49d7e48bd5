using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Ragtune.Azure.Storage;
using Ragtune.Core.FineTuning;
using Ragtune.Testing;

namespace Ragtune.Azure.Tests.Storage;

/// <summary>
/// Fine-tune exports in a blob container on Azurite (<see cref="DatasetWriter"/> over <see cref="BlobDatasetStore"/>):
/// manifest last, abandoned exports invisible and removed, one at a time.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobDatasetStoreTests
{
    private const string First = "20261127T120000Z-01KBZ0000000000000000000AA";
    private const string Second = "20261127T130000Z-01KBZ0000000000000000000BB";
    private const string Third = "20261127T140000Z-01KBZ0000000000000000000CC";

    private readonly BlobServiceClient _blobs;
    private readonly DatasetWriter _writer;
    private readonly BlobContainerClient _container;

    public BlobDatasetStoreTests(Azurite azurite)
    {
        var options = AzuriteStorage.UniqueOptions(azurite);
        _blobs = AzuriteStorage.Blobs(azurite);
        _writer = new DatasetWriter(new BlobDatasetStore(_blobs, options, NullLogger<BlobDatasetStore>.Instance), NullLogger<DatasetWriter>.Instance);
        _container = _blobs.GetBlobContainerClient(options.Value.DatasetsContainer);
    }

    [Fact]
    public async Task Commit_WritesTheDataFilesThenTheManifest_AndMakesTheExportTheLatest()
    {
        await using (var export = await _writer.BeginExportAsync(First))
        {
            await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
            Assert.Null(await _writer.ReadLatestManifestAsync());
            await export.CommitAsync(DatasetExports.Manifest(First));
        }

        Assert.Equal([$"{First}/manifest.json", $"{First}/sft.train.jsonl"], await BlobNamesAsync(First));
        Assert.Equal("{}\n", (await _container.GetBlobClient($"{First}/sft.train.jsonl").DownloadContentAsync()).Value.Content.ToString());
        Assert.Equal(First, (await _writer.ReadLatestManifestAsync())!.Name);
        Assert.StartsWith(_container.Uri.ToString(), _writer.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_WithoutCommit_RemovesWhatWasWritten()
    {
        await using (var export = await _writer.BeginExportAsync(First))
        {
            await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
        }

        Assert.Empty(await BlobNamesAsync(First));
        Assert.Null(await _writer.ReadLatestManifestAsync());
    }

    [Fact]
    public async Task ReadLatest_IgnoresAnExportWithoutManifest_AndTheNextExportRemovesIt()
    {
        await CommitAsync(First);
        await _container.UploadBlobAsync($"{Second}/sft.train.jsonl", BinaryData.FromString("{}\n"));

        Assert.Equal(First, (await _writer.ReadLatestManifestAsync())!.Name);

        await CommitAsync(Third);
        Assert.Empty(await BlobNamesAsync(Second));
        Assert.Equal(Third, (await _writer.ReadLatestManifestAsync())!.Name);
    }

    [Fact]
    public async Task Begin_WhileAnotherExportRuns_IsBusy_AndFreeAgainAfterIt()
    {
        await using (await _writer.BeginExportAsync(First))
        {
            await Assert.ThrowsAsync<DatasetExportBusyException>(() => _writer.BeginExportAsync(Second));
        }

        await using var next = await _writer.BeginExportAsync(Second);
        Assert.Equal(Second, next.Name);
    }

    [Theory]
    [InlineData("../escape.jsonl")]
    [InlineData("manifest.json")]
    public async Task CreateFile_OutsideTheExportOrTheManifest_IsRefused(string fileName)
    {
        await using var export = await _writer.BeginExportAsync(First);

        await Assert.ThrowsAsync<ArgumentException>(() => export.CreateFileAsync(fileName));
    }

    private async Task CommitAsync(string name)
    {
        await using var export = await _writer.BeginExportAsync(name);
        await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
        await export.CommitAsync(DatasetExports.Manifest(name));
    }

    private async Task<List<string>> BlobNamesAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix + "/", default))
        {
            names.Add(blob.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
