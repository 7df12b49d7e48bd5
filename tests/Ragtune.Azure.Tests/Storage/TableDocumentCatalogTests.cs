using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ragtune.Azure.Storage;
using Ragtune.Core.Index;
using Ragtune.Testing;
using Ragtune.Testing.Contracts;

namespace Ragtune.Azure.Tests.Storage;

/// <summary>The documents ledger on Table Storage (Azurite) passes the catalog contract the SQLite catalog passes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableDocumentCatalogTests(Azurite azurite) : DocumentCatalogContract
{
    private readonly StorageTables _tables = AzuriteStorage.Tables(azurite);
    private readonly IOptions<AzureStorageOptions> _options = AzuriteStorage.UniqueOptions(azurite);
    private TableDocumentCatalog? _catalog;

    private TableDocumentCatalog CatalogUnderTest => _catalog ??= new(_tables, _options);

    protected override IDocumentCatalog Catalog => CatalogUnderTest;

    [Fact]
    public async Task Save_FailedRecord_KeepsItsErrorAndGroups()
    {
        var record = Record("a/b.pdf") with { Status = DocumentStatus.Failed, Error = "The PDF is encrypted.", Groups = ["hr"] };

        await Catalog.SaveAsync(record);

        var found = await Catalog.FindAsync(record.DocumentId);
        Assert.Equal(DocumentStatus.Failed, found!.Status);
        Assert.Equal("The PDF is encrypted.", found.Error);
        Assert.Equal(["hr"], found.Groups);
    }

    [Fact]
    public async Task Read_EntityWrittenBeforeOrigins_IsTheDocumentsContainers()
    {
        // Before origins only the blob trigger and the reconcile wrote the catalog: its records are the container's,
        // so the reconcile still removes those whose blob is gone.
        await Catalog.SaveAsync(Record("a.md") with { Origin = DocumentOrigin.Container(_options.Value.DocumentsContainer) });
        var table = await _tables.GetAsync(_options.Value.DocumentsTable, CancellationToken.None);
        var entity = (await table.GetEntityAsync<TableEntity>("documents", DocumentIds.ForSource("a.md"))).Value;
        Assert.True(entity.Remove("Origin"));
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);

        var found = await Catalog.FindAsync(DocumentIds.ForSource("a.md"));

        Assert.Equal(DocumentOrigin.Container(_options.Value.DocumentsContainer), found!.Origin);
        Assert.Equal(found.Origin, Assert.Single(await Catalog.ListAsync()).Origin);
    }

    [Fact]
    public async Task List_RecordThatCannotBeRead_IsADataError_NotAnUnavailableService()
    {
        await Catalog.SaveAsync(Record("a.md"));
        var table = await _tables.GetAsync(_options.Value.DocumentsTable, CancellationToken.None);
        var entity = (await table.GetEntityAsync<TableEntity>("documents", DocumentIds.ForSource("a.md"))).Value;
        entity["Groups"] = "not json";
        await table.UpdateEntityAsync(entity, entity.ETag);

        await Assert.ThrowsAnyAsync<JsonException>(() => Catalog.ListAsync());
    }
}
