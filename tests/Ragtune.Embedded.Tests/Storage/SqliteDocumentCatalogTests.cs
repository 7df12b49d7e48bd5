using Ragtune.Core.Index;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteDocumentCatalogTests : IDisposable
{
    private static readonly DateTimeOffset IndexedAt = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2));

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Save_ThenFind_ReturnsTheSameRecord()
    {
        var record = Record("handbook/benefits.pdf") with { Groups = ["hr", "board"] };

        await _index.Catalog.SaveAsync(record);
        var found = await _index.Catalog.FindAsync(record.DocumentId);

        Assert.NotNull(found);
        Assert.Equal(record.DocumentId, found.DocumentId);
        Assert.Equal(record.Source, found.Source);
        Assert.Equal(record.ContentHash, found.ContentHash);
        Assert.Equal(DocumentStatus.Indexed, found.Status);
        Assert.Equal(12, found.Chunks);
        Assert.Equal(IndexedAt, found.IndexedAt);
        Assert.Equal(IndexedAt.Offset, found.IndexedAt.Offset);
        Assert.Equal(["board", "hr"], found.Groups);
        Assert.Null(found.Error);
    }

    [Fact]
    public async Task Save_Again_ReplacesTheRecord()
    {
        var record = Record("handbook/benefits.pdf");
        await _index.Catalog.SaveAsync(record);

        await _index.Catalog.SaveAsync(record with { Status = DocumentStatus.Failed, Chunks = 0, Error = "The PDF is encrypted.", ContentHash = "other" });

        var found = Assert.Single(await _index.Catalog.ListAsync());
        Assert.Equal(DocumentStatus.Failed, found.Status);
        Assert.Equal("The PDF is encrypted.", found.Error);
        Assert.Equal("other", found.ContentHash);
        Assert.Equal(0, found.Chunks);
    }

    [Fact]
    public async Task Find_Unknown_ReturnsNull()
    {
        Assert.Null(await _index.Catalog.FindAsync("unknown"));
    }

    [Fact]
    public async Task List_OrdersBySource()
    {
        foreach (var source in new[] { "zeta.md", "handbook/b.pdf", "Alpha.md", "handbook/a.pdf" })
        {
            await _index.Catalog.SaveAsync(Record(source));
        }

        var sources = (await _index.Catalog.ListAsync()).Select(r => r.Source);

        Assert.Equal(["Alpha.md", "handbook/a.pdf", "handbook/b.pdf", "zeta.md"], sources);
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatRecord()
    {
        await _index.Catalog.SaveAsync(Record("a.md"));
        await _index.Catalog.SaveAsync(Record("b.md"));

        await _index.Catalog.DeleteAsync(DocumentIds.ForSource("a.md"));
        await _index.Catalog.DeleteAsync("unknown");

        Assert.Equal(["b.md"], (await _index.Catalog.ListAsync()).Select(r => r.Source));
    }

    [Fact]
    public async Task Records_SurviveReopeningTheFile()
    {
        await _index.Catalog.SaveAsync(Record("a.md"));
        _index.Database.Dispose();

        using var reopened = _index.OpenSecond();
        var found = await reopened.Catalog.FindAsync(DocumentIds.ForSource("a.md"));

        Assert.Equal("a.md", found?.Source);
    }

    private static DocumentRecord Record(string source) =>
        new(DocumentIds.ForSource(source), source, DocumentIds.ContentHash(source), DocumentStatus.Indexed, 12, IndexedAt, [], null);
}
