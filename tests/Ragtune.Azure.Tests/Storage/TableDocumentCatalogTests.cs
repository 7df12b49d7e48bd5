using Ragtune.Azure.Storage;
using Ragtune.Core.Index;
using Ragtune.Testing;
using Ragtune.Testing.Contracts;

namespace Ragtune.Azure.Tests.Storage;

/// <summary>The documents ledger on Table Storage (Azurite) passes the catalog contract the SQLite catalog passes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableDocumentCatalogTests(Azurite azurite) : DocumentCatalogContract
{
    private readonly TableDocumentCatalog _catalog = new(AzuriteStorage.Tables(azurite), AzuriteStorage.UniqueOptions(azurite));

    protected override IDocumentCatalog Catalog => _catalog;

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
}
