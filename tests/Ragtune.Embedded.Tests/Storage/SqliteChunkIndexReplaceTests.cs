using Ragtune.Core.Index;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteChunkIndexReplaceTests : IDisposable
{
    private const string Source = "handbook/benefits.md";
    private static readonly string DocumentId = DocumentIds.ForSource(Source);
    private static readonly float[] Question = TestVectors.Of(1f);

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Replace_ShrunkDocument_LeavesNoStaleChunk(SearchMode mode)
    {
        await _index.ReplaceAsync(Source, [.. Enumerable.Range(0, 5).Select(i => ($"old vacation text {i}", TestVectors.Of(1f, i)))]);
        await _index.SearchAsync(SearchMode.Vector, "", Question); // the vectors are in memory before the change

        await _index.ReplaceAsync(Source, [("new vacation text", TestVectors.Of(1f, 0.5f)), ("second vacation text", TestVectors.Of(0.5f, 1f))]);

        var hits = await _index.SearchAsync(mode, "vacation text", Question, top: 50);
        Assert.Equal(["new vacation text", "second vacation text"], hits.Select(h => h.Chunk.Text).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await _index.Index.GetEmbeddingsAsync(DocumentId)).Count);
        Assert.Empty(await _index.SearchAsync(SearchMode.Keyword, "old", Question));
    }

    [Fact]
    public async Task Replace_DisposedWithoutCommit_KeepsThePreviousVersion()
    {
        await _index.ReplaceAsync(Source, [("first version", TestVectors.Of(1f))]);

        await using (var replacement = await _index.Index.BeginReplaceAsync(DocumentId))
        {
            await replacement.AddAsync([TestChunks.Create(Source, 0, "second version", TestVectors.Of(0f, 1f), [])]);
        }

        var hits = await _index.SearchAsync(SearchMode.Hybrid, "version", Question);
        Assert.Equal("first version", Assert.Single(hits).Chunk.Text);
    }

    [Fact]
    public async Task Replace_ConcurrentReaderBeforeCommit_SeesThePreviousVersion()
    {
        await _index.ReplaceAsync(Source, [("first version", TestVectors.Of(1f)), ("first version again", TestVectors.Of(1f, 1f))]);
        var replacement = await _index.Index.BeginReplaceAsync(DocumentId);
        await replacement.AddAsync([TestChunks.Create(Source, 0, "second version", TestVectors.Of(0f, 1f), [])]);

        var during = await Task.Run(() => _index.SearchAsync(SearchMode.Hybrid, "version", Question));
        await replacement.CommitAsync();
        await replacement.DisposeAsync();
        var after = await Task.Run(() => _index.SearchAsync(SearchMode.Hybrid, "version", Question));

        Assert.Equal(["first version", "first version again"], during.Select(h => h.Chunk.Text));
        Assert.Equal("second version", Assert.Single(after).Chunk.Text);
    }

    [Fact]
    public async Task Replace_InBatches_CommitsEveryBatch()
    {
        await using (var replacement = await _index.Index.BeginReplaceAsync(DocumentId))
        {
            await replacement.AddAsync([TestChunks.Create(Source, 0, "batch one", TestVectors.Of(1f), [])]);
            await replacement.AddAsync([TestChunks.Create(Source, 1, "batch two", TestVectors.Of(1f, 1f), []), TestChunks.Create(Source, 2, "batch two more", TestVectors.Of(0f, 1f), [])]);
            await replacement.CommitAsync();
        }

        var hits = await _index.SearchAsync(SearchMode.Vector, "", Question);
        Assert.Equal(["batch one", "batch two", "batch two more"], hits.Select(h => h.Chunk.Text));
    }

    [Fact]
    public async Task Replace_WithNoChunks_RemovesTheDocument()
    {
        await _index.ReplaceAsync(Source, [("first version", TestVectors.Of(1f))]);

        await _index.ReplaceAsync(Source, []);

        Assert.Empty(await _index.SearchAsync(SearchMode.Hybrid, "version", Question));
    }

    public static TheoryData<string, IndexChunk> BadChunks => new()
    {
        { "another document", TestChunks.Create("other.md", 0, "text", TestVectors.Of(1f), []) },
        { "zero vector", TestChunks.Create(Source, 0, "text", TestVectors.Of(), []) },
        { "empty vector", TestChunks.Create(Source, 0, "text", [], []) },
        { "NaN in vector", TestChunks.Create(Source, 0, "text", TestVectors.Of(float.NaN), []) },
        { "other dimensions", TestChunks.Create(Source, 1, "text", [1f, 0f], []) },
        { "repeated ordinal", TestChunks.Create(Source, 0, "text", TestVectors.Of(1f), []) with { ChunkId = "another-id" } },
        { "repeated chunk id", TestChunks.Create(Source, 0, "text", TestVectors.Of(1f), []) with { Ordinal = 7 } },
        { "negative ordinal", TestChunks.Create(Source, -1, "text", TestVectors.Of(1f), []) },
        { "no source", TestChunks.Create(Source, 1, "text", TestVectors.Of(1f), []) with { Source = " " } },
    };

    [Theory]
    [MemberData(nameof(BadChunks))]
    public async Task Add_BadChunk_ThrowsAndKeepsTheBatchesBefore(string problem, IndexChunk chunk)
    {
        await using var replacement = await _index.Index.BeginReplaceAsync(DocumentId);
        await replacement.AddAsync([TestChunks.Create(Source, 0, "good chunk", TestVectors.Of(1f), [])]);

        var thrown = await Assert.ThrowsAsync<ArgumentException>(() => replacement.AddAsync([TestChunks.Create(Source, 5, "same batch", TestVectors.Of(1f), []), chunk]));
        await replacement.CommitAsync();

        Assert.NotNull(problem);
        Assert.NotEmpty(thrown.Message);
        var hits = await _index.SearchAsync(SearchMode.Vector, "", Question);
        Assert.Equal("good chunk", Assert.Single(hits).Chunk.Text);
    }

    [Fact]
    public async Task Commit_VectorsOfAnotherLength_ThrowsAndKeepsTheIndex()
    {
        await _index.ReplaceAsync("other.md", [("eight dimensions", TestVectors.Of(1f))]);
        await _index.ReplaceAsync(Source, [("eight dimensions too", TestVectors.Of(1f))]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _index.ReplaceAsync(Source, [("four dimensions", [1f, 0f, 0f, 0f])]));

        Assert.Contains("one embedding model", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await _index.SearchAsync(SearchMode.Vector, "", Question)).Count);
    }

    [Fact]
    public async Task Commit_AfterEveryDocumentIsDeleted_AcceptsAnotherLength()
    {
        await _index.ReplaceAsync(Source, [("eight dimensions", TestVectors.Of(1f))]);
        await _index.SearchAsync(SearchMode.Vector, "", Question);
        await _index.Index.DeleteDocumentAsync(DocumentId);

        await _index.ReplaceAsync(Source, [("four dimensions", [1f, 0f, 0f, 0f])]);

        var hit = Assert.Single(await _index.SearchAsync(SearchMode.Vector, "", [1f, 0f, 0f, 0f]));
        Assert.Equal("four dimensions", hit.Chunk.Text);
    }

    [Fact]
    public async Task Replacement_AfterCommit_RefusesMore()
    {
        await using var replacement = await _index.Index.BeginReplaceAsync(DocumentId);
        await replacement.CommitAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => replacement.CommitAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => replacement.AddAsync([]));
    }

    [Fact]
    public async Task Replacement_AfterDispose_RefusesMore()
    {
        var replacement = await _index.Index.BeginReplaceAsync(DocumentId);
        await replacement.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => replacement.CommitAsync());
    }

    [Fact]
    public async Task GetEmbeddings_ReturnsStoredVectorsByContentHash()
    {
        await _index.ReplaceAsync(Source, [("alpha", TestVectors.Of(3f, 4f)), ("beta", TestVectors.Of(0f, 0f, 2f)), ("alpha", TestVectors.Of(3f, 4f))]);

        var embeddings = await _index.Index.GetEmbeddingsAsync(DocumentId);

        Assert.Equal(
            new[] { DocumentIds.ContentHash("alpha"), DocumentIds.ContentHash("beta") }.Order(StringComparer.Ordinal),
            embeddings.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TestVectors.Of(0.6f, 0.8f), embeddings[DocumentIds.ContentHash("alpha")].ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Empty(await _index.Index.GetEmbeddingsAsync("unknown"));
    }

    [Fact]
    public async Task Delete_RemovesChunksFromEveryMode()
    {
        await _index.ReplaceAsync(Source, [("vacation days", TestVectors.Of(1f))]);
        await _index.ReplaceAsync("other.md", [("other words", TestVectors.Of(0f, 1f))]);
        await _index.SearchAsync(SearchMode.Vector, "", Question);

        await _index.Index.DeleteDocumentAsync(DocumentId);

        Assert.Equal(["other.md"], (await _index.SearchAsync(SearchMode.Vector, "", Question)).Select(h => h.Chunk.Source));
        Assert.Empty(await _index.SearchAsync(SearchMode.Keyword, "vacation", Question));
        Assert.Empty(await _index.Index.GetEmbeddingsAsync(DocumentId));
    }

    [Fact]
    public async Task Delete_UnknownDocument_DoesNothing()
    {
        await _index.ReplaceAsync(Source, [("vacation days", TestVectors.Of(1f))]);

        await _index.Index.DeleteDocumentAsync("unknown");

        Assert.Single(await _index.SearchAsync(SearchMode.Vector, "", Question));
    }

    [Fact]
    public async Task Commit_ByAnotherIndexOverTheSameFile_IsSeenBySearches()
    {
        // As when `ragtune ingest` runs beside `ragtune serve`: the vectors in memory must catch up.
        await _index.ReplaceAsync(Source, [("first version", TestVectors.Of(1f))]);
        Assert.Single(await _index.SearchAsync(SearchMode.Vector, "", Question));
        using var other = _index.OpenSecond();

        await other.ReplaceAsync(Source, [("second version", TestVectors.Of(1f, 1f)), ("second version more", TestVectors.Of(1f, 2f))]);
        await other.ReplaceAsync("other.md", [("another document", TestVectors.Of(0f, 1f))]);

        var hits = await _index.SearchAsync(SearchMode.Hybrid, "version", Question);
        Assert.Equal(["second version", "second version more", "another document"], hits.Select(h => h.Chunk.Text));

        // A commit of this index after the other's: its vectors were stale, so it reads them again.
        await _index.ReplaceAsync("third.md", [("third document", TestVectors.Of(1f, 0.1f))]);
        Assert.Equal(4, (await _index.SearchAsync(SearchMode.Vector, "", Question)).Count);
    }

    [Fact]
    public async Task ManyReplacements_KeepExactResults()
    {
        // Enough commits to pile up segments and dead rows, so the in-memory vectors compact several times.
        var random = new Random(7);
        var current = new Dictionary<string, (string Text, float[] Vector)[]>();
        for (var round = 0; round < 400; round++)
        {
            var source = $"doc-{random.Next(40)}.md";
            if (round % 17 == 0 && current.Remove(source))
            {
                await _index.Index.DeleteDocumentAsync(DocumentIds.ForSource(source));
                continue;
            }

            (string, float[])[] chunks = [.. Enumerable.Range(0, random.Next(0, 6)).Select(i => ($"{source} round {round} chunk {i}", TestVectors.Random(random)))];
            await _index.ReplaceAsync(source, chunks);
            current[source] = chunks;
            if (round % 50 == 0)
            {
                await _index.SearchAsync(SearchMode.Vector, "", Question);
            }
        }

        var query = TestVectors.Random(random);
        var hits = await _index.SearchAsync(SearchMode.Vector, "", query, top: 50);

        var expected = current.Values.SelectMany(c => c).OrderByDescending(c => TestVectors.Cosine(query, c.Vector)).Take(50).ToArray();
        Assert.Equal(expected.Select(c => c.Text), hits.Select(h => h.Chunk.Text));
        Assert.Equal(expected.Select(c => TestVectors.Cosine(query, c.Vector)), hits.Select(h => (double)h.Similarity), (a, b) => Math.Abs(a - b) < 1e-5);

        // The state row's count of chunks (which decides whether keyword queries check for common words) stays exact.
        await using var connection = await _index.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT chunks FROM chunk_index_state), (SELECT count(*) FROM chunks);";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(current.Values.Sum(c => c.Length), reader.GetInt64(0));
        Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
    }
}
