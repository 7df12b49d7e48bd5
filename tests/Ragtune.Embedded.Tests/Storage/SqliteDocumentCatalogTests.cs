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

    [Fact]
    public async Task Commit_OfTheSameDatabasesReplacement_SavesTheRecordWithTheChunks()
    {
        var record = Record("a.md") with { Chunks = 2 };
        await using var replacement = await _index.Index.BeginReplaceAsync(record.DocumentId);
        await replacement.AddAsync([TestChunks.Create("a.md", 0, "Ferries leave at seven.", TestVectors.Of(1), []), TestChunks.Create("a.md", 1, "The pier is north.", TestVectors.Of(0, 1), [])]);

        await _index.Catalog.CommitAsync(replacement, record);

        Assert.Equal(2, (await _index.Catalog.FindAsync(record.DocumentId))?.Chunks);
        Assert.Equal(2, (await _index.Index.GetEmbeddingsAsync(record.DocumentId)).Count);
    }

    [Fact]
    public async Task Commit_WhenTheRecordCannotBeWritten_LeavesTheChunksAndTheRecordAsTheyWere()
    {
        // The previous version: one chunk, listed.
        await _index.Catalog.SaveAsync(Record("a.md") with { Chunks = 1 });
        var documentId = await _index.ReplaceAsync("a.md", [("Ferries leave at seven.", TestVectors.Of(1))]);
        await RefuseRecordsAsync();
        var changed = Record("a.md") with { ContentHash = "changed", Chunks = 2 };
        await using var replacement = await _index.Index.BeginReplaceAsync(documentId);
        await replacement.AddAsync([TestChunks.Create("a.md", 0, "Ferries leave at eight.", TestVectors.Of(0, 1), []), TestChunks.Create("a.md", 1, "The pier moved.", TestVectors.Of(0, 0, 1), [])]);

        await Assert.ThrowsAnyAsync<Exception>(() => _index.Catalog.CommitAsync(replacement, changed));

        var record = await _index.Catalog.FindAsync(documentId);
        Assert.Equal(Record("a.md").ContentHash, record?.ContentHash);
        Assert.Equal(1, record?.Chunks);
        Assert.Equal([DocumentIds.ContentHash("Ferries leave at seven.")], (await _index.Index.GetEmbeddingsAsync(documentId)).Keys);
        var hits = await _index.SearchAsync(SearchMode.Keyword, "pier", TestVectors.Of(1));
        Assert.Empty(hits);
    }

    /// <summary>Every later write of a record fails, as one that does not fit on a full disk does.</summary>
    private async Task RefuseRecordsAsync()
    {
        await using var connection = await _index.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TRIGGER refuse_records_insert BEFORE INSERT ON documents BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            CREATE TRIGGER refuse_records_update BEFORE UPDATE ON documents BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
            """;
        await command.ExecuteNonQueryAsync();
    }
}
