using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>Sentence vectors kept beside a document's chunks: found by key, stamped at ingestion, gone with the chunks they belong to.</summary>
public sealed class SqliteSentenceVectorStoreTests : IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();
    private readonly SqliteSentenceVectorStore _store;

    public SqliteSentenceVectorStoreTests() => _store = new SqliteSentenceVectorStore(_index.Database);

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Find_ReturnsTheVectorsStoredForTheKeys_Exactly()
    {
        var vector = new[] { 0.1f, -0.2f, 0.3f };
        await _store.SaveAsync([(Key("a.md", "h1"), vector)], generation: null);

        var found = await _store.FindAsync([Key("a.md", "h1"), Key("a.md", "h2"), Key("b.md", "h1")]);

        Assert.Equal(vector, Assert.Single(found, pair => pair.Key == Key("a.md", "h1")).Value);
        Assert.Single(found);
    }

    [Fact]
    public async Task Commit_RemovesTheDocumentsSentenceVectorsTheReplacementDidNotStamp()
    {
        var documentId = await _index.ReplaceAsync("a.md", [("text", TestVectors.Of(1f))]);
        await _store.SaveAsync([(Key("a.md", "old"), [1f]), (Key("a.md", "kept"), [2f])], generation: null);
        await _store.SaveAsync([(Key("b.md", "other"), [3f])], generation: null);
        var stamping = new StampingIndexer(_store, Key("a.md", "kept"), Key("a.md", "new"));
        using var sentences = new SqliteChunkIndex(
            _index.Database, Microsoft.Extensions.Options.Options.Create(_index.Options), Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteChunkIndex>.Instance, () => stamping);

        await using (var replacement = await sentences.BeginReplaceAsync(documentId))
        {
            await replacement.AddAsync([TestChunks.Create("a.md", 0, "text", TestVectors.Of(1f), [])]);
            await replacement.CommitAsync();
        }

        var found = await _store.FindAsync([Key("a.md", "old"), Key("a.md", "kept"), Key("a.md", "new"), Key("b.md", "other")]);
        Assert.Equal(["kept", "new", "other"], found.Keys.Select(key => key.Hash).Order());
    }

    [Fact]
    public async Task DeleteDocument_RemovesItsSentenceVectors()
    {
        var documentId = await _index.ReplaceAsync("a.md", [("text", TestVectors.Of(1f))]);
        await _store.SaveAsync([(Key("a.md", "h1"), [1f])], generation: null);

        await _index.Index.DeleteDocumentAsync(documentId);

        Assert.Empty(await _store.FindAsync([Key("a.md", "h1")]));
    }

    [Fact]
    public async Task SaveForAnAnswer_KeepsTheGenerationOfAVectorStoredAtIngestion()
    {
        await _store.SaveAsync([(Key("a.md", "h1"), [1f])], generation: 42);

        await _store.SaveAsync([(Key("a.md", "h1"), [1f])], generation: null);

        await using var connection = await _index.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT generation FROM sentence_vectors;";
        Assert.Equal(42L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task SentenceVectors_TakeLittleMoreThanTheirOwnSizeInTheFile()
    {
        const int Count = 500;
        var vector = Enumerable.Range(0, 384).Select(i => i / 384f).ToArray();
        var before = await FileBytesAsync();

        await _store.SaveAsync([.. Enumerable.Range(0, Count).Select(i => (Key("a.md", $"{i:x64}"), vector))], generation: null);

        var grown = await FileBytesAsync() - before;
        Assert.InRange(grown, Count * vector.Length * sizeof(float), 1.75 * Count * vector.Length * sizeof(float));
    }

    private async Task<long> FileBytesAsync()
    {
        await using var connection = await _index.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size();";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static SentenceKey Key(string source, string hash) => new(DocumentIds.ForSource(source), hash);

    /// <summary>Stamps the given keys as a replacement's sentence indexing would.</summary>
    private sealed class StampingIndexer(ISentenceVectorStore store, params SentenceKey[] keys) : IChunkSentenceIndexer
    {
        public Task IndexAsync(string documentId, long generation, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default) =>
            store.SaveAsync([.. keys.Select(key => (key, new[] { 9f }))], generation, cancellationToken);
    }
}
