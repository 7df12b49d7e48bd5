using Ragtune.Core.Index;
using Ragtune.Testing.Contracts;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteDocumentCatalogTests : DocumentCatalogContract, IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();

    protected override IDocumentCatalog Catalog => _index.Catalog;

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Records_SurviveReopeningTheFile()
    {
        await _index.Catalog.SaveAsync(Record("a.md"));
        _index.Database.Dispose();

        using var reopened = _index.OpenSecond();
        var found = await reopened.Catalog.FindAsync(DocumentIds.ForSource("a.md"));

        Assert.Equal("a.md", found?.Source);
    }
}
