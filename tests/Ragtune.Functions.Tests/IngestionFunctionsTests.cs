using System.Text;
using Microsoft.Azure.Functions.Worker;
using Ragtune.Core;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Functions.Ingestion;
using Ragtune.Testing;

namespace Ragtune.Functions.Tests;

/// <summary>IngestDocument and ReconcileIndex, run as the host runs them, with blob clients on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IngestionFunctionsTests(Azurite azurite) : IDisposable
{
    private const string Handbook = "# Vacation\n\nNew hires accrue twenty vacation days per year. Unused days carry over to the next year.\n";
    private readonly TestApp _app = new(azurite);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task IngestDocument_NewBlob_IndexesItWithTheGroupsOfItsMetadata()
    {
        var blob = await _app.UploadAsync("handbook/vacation.md", Handbook, groups: "hr, board");

        await _app.Get<IngestDocumentFunction>().RunAsync(blob, CancellationToken.None);

        var record = Assert.Single(await _app.Catalog.ListAsync());
        Assert.Equal("handbook/vacation.md", record.Source);
        Assert.Equal(DocumentStatus.Indexed, record.Status);
        Assert.Equal(["board", "hr"], record.Groups);
        var chunk = Assert.Single(_app.Index.Chunks);
        Assert.Equal(["board", "hr"], chunk.Groups);
    }

    [Fact]
    public async Task IngestDocument_SameBlobAgain_MakesNoEmbeddingCall()
    {
        var blob = await _app.UploadAsync("handbook/vacation.md", Handbook);
        var function = _app.Get<IngestDocumentFunction>();
        await function.RunAsync(blob, CancellationToken.None);

        await function.RunAsync(blob, CancellationToken.None);

        Assert.Equal(1, _app.Embeddings.Calls);
    }

    [Fact]
    public async Task IngestDocument_CorruptBlob_IsRecordedAsFailedAndNotRetried()
    {
        var blob = await _app.UploadAsync("handbook/broken.pdf", "this is not a PDF");

        await _app.Get<IngestDocumentFunction>().RunAsync(blob, CancellationToken.None);

        var record = Assert.Single(await _app.Catalog.ListAsync());
        Assert.Equal(DocumentStatus.Failed, record.Status);
        Assert.False(string.IsNullOrWhiteSpace(record.Error));
        Assert.Empty(_app.Index.Chunks);
    }

    [Fact]
    public async Task IngestDocument_EmbeddingsThrottled_ThrowsSoTheHostRetriesThenPoisons()
    {
        var blob = await _app.UploadAsync("handbook/vacation.md", Handbook);
        _app.Embeddings.FailOn = (1, new DependencyUnavailableException("embeddings", DependencyFailure.Throttled, TimeSpan.FromSeconds(5)));

        var failure = await Assert.ThrowsAsync<IngestionRetryException>(() => _app.Get<IngestDocumentFunction>().RunAsync(blob, CancellationToken.None));

        Assert.IsType<DependencyUnavailableException>(failure.InnerException);
        Assert.Empty(await _app.Catalog.ListAsync());
        Assert.Empty(_app.Index.Chunks);
    }

    [Fact]
    public async Task ReconcileIndex_AfterABlobDelete_RemovesItsChunks_AndIngestsMissedBlobs()
    {
        var kept = await _app.UploadAsync("handbook/vacation.md", Handbook);
        var deleted = await _app.UploadAsync("handbook/old.md", "# Old\n\nThe old travel policy allowed business class on every flight.\n");
        await _app.Get<IngestDocumentFunction>().RunAsync(deleted, CancellationToken.None);
        await deleted.DeleteAsync();

        await _app.Get<ReconcileIndexFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        var record = Assert.Single(await _app.Catalog.ListAsync());
        Assert.Equal(kept.Name, record.Source);
        Assert.All(_app.Index.Chunks, c => Assert.Equal(kept.Name, c.Source));
        Assert.NotEmpty(_app.Index.Chunks);
    }

    [Fact]
    public async Task ReconcileIndex_KeepsADocumentOfAnotherOrigin_AndRemovesOnlyTheContainersDeletedBlob()
    {
        await _app.UploadAsync("handbook/vacation.md", Handbook);
        var deleted = await _app.UploadAsync("handbook/old.md", "# Old\n\nThe old travel policy allowed business class on every flight.\n");
        await _app.Get<IngestDocumentFunction>().RunAsync(deleted, CancellationToken.None);
        await deleted.DeleteAsync();
        var archive = DocumentOrigin.Container("archive");
        var archived = await _app.Get<IngestionPipeline>().IngestAsync(new SourceDocument(
            "policies/travel.md",
            [],
            _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("# Travel\n\nEconomy class is booked for flights under six hours.\n"))),
            Origin: archive));
        Assert.Equal(IngestionOutcome.Indexed, archived.Outcome);

        await _app.Get<ReconcileIndexFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        var records = await _app.Catalog.ListAsync();
        Assert.Equal(["handbook/vacation.md", "policies/travel.md"], records.Select(r => r.Source));
        Assert.Equal(archive, records.Single(r => r.Source == "policies/travel.md").Origin);
        Assert.NotEmpty(_app.Index.ChunksOf(archived.DocumentId));
        Assert.Empty(_app.Index.ChunksOf(DocumentIds.ForSource(deleted.Name)));
    }

    [Fact]
    public async Task ReconcileIndex_UnchangedContainer_ReadsNoBlob_AndAChangedBlobOnce()
    {
        await _app.UploadAsync("handbook/vacation.md", Handbook);
        var travel = await _app.UploadAsync("handbook/travel.md", "# Travel\n\nEconomy class is booked for flights under six hours.\n");
        var reconcile = _app.Get<ReconcileIndexFunction>();
        await reconcile.RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(2, _app.BlobReads.Reads);
        var embeddingCalls = _app.Embeddings.Calls;

        await reconcile.RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(2, _app.BlobReads.Reads);

        await travel.SetMetadataAsync(new Dictionary<string, string> { ["note"] = "touched" });
        await reconcile.RunAsync(new TimerInfo(), CancellationToken.None);
        await reconcile.RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Equal(3, _app.BlobReads.Reads);
        Assert.Equal(embeddingCalls, _app.Embeddings.Calls);
        var record = await _app.Catalog.FindAsync(DocumentIds.ForSource(travel.Name));
        Assert.Equal((await travel.GetPropertiesAsync()).Value.ETag.ToString("H"), record!.SourceVersion);
    }

    [Fact]
    public async Task IngestDocument_EventDeliveredTwice_ReadsTheBlobOnce()
    {
        var blob = await _app.UploadAsync("handbook/vacation.md", Handbook);
        var function = _app.Get<IngestDocumentFunction>();
        var sameBlob = _app.Documents.GetBlobClient(blob.Name);

        await function.RunAsync(sameBlob, CancellationToken.None);
        await function.RunAsync(sameBlob, CancellationToken.None);

        Assert.Equal(1, _app.BlobReads.Reads);
    }

    [Fact]
    public async Task ReconcileIndex_AfterTheEventIngestedABlob_ReadsItNoMore()
    {
        var blob = await _app.UploadAsync("handbook/vacation.md", Handbook);
        await _app.Get<IngestDocumentFunction>().RunAsync(blob, CancellationToken.None);

        await _app.Get<ReconcileIndexFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Equal(1, _app.BlobReads.Reads);
    }
}
