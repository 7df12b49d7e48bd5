using Microsoft.Extensions.Logging.Abstractions;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>A SQLite index and catalog over a real file in a test's own folder.</summary>
internal sealed class TestIndex : IDisposable
{
    private readonly bool _ownsDirectory;

    private TestIndex(TempDirectory directory, bool ownsDirectory, SqliteStorageOptions options)
    {
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Options = options;
        Database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(options), NullLogger<SqliteDatabase>.Instance);
        Index = new SqliteChunkIndex(Database, Microsoft.Extensions.Options.Options.Create(options), NullLogger<SqliteChunkIndex>.Instance);
        Catalog = new SqliteDocumentCatalog(Database);
        Ratings = new RatingsDatabase(Microsoft.Extensions.Options.Options.Create(options), NullLogger<SqliteDatabase>.Instance);
    }

    public TempDirectory Directory { get; }

    public SqliteStorageOptions Options { get; }

    public SqliteDatabase Database { get; }

    public SqliteChunkIndex Index { get; }

    /// <summary>The ratings file beside the index (answers and their ratings).</summary>
    public RatingsDatabase Ratings { get; }

    public SqliteDocumentCatalog Catalog { get; }

    public static TestIndex Create(Action<SqliteStorageOptions>? configure = null)
    {
        var directory = new TempDirectory();
        var options = new SqliteStorageOptions { DataDirectory = directory.Combine("data") };
        configure?.Invoke(options);
        return new TestIndex(directory, ownsDirectory: true, options);
    }

    /// <summary>A second index over the same file, as another process would open it; this one keeps the folder.</summary>
    public TestIndex OpenSecond() => new(Directory, ownsDirectory: false, Options);

    /// <summary>Replaces the chunks of <paramref name="source"/> with one chunk per text, in one commit.</summary>
    public async Task<string> ReplaceAsync(string source, IReadOnlyList<(string Text, float[] Vector)> chunks, params string[] groups)
    {
        var documentId = DocumentIds.ForSource(source);
        await using var replacement = await Index.BeginReplaceAsync(documentId);
        await replacement.AddAsync([.. chunks.Select((chunk, ordinal) => TestChunks.Create(source, ordinal, chunk.Text, chunk.Vector, groups))]);
        await replacement.CommitAsync();
        return documentId;
    }

    public Task<IReadOnlyList<ChunkHit>> SearchAsync(SearchMode mode, string text, float[] vector, int top = 10, ChunkFilter? filter = null) =>
        Index.SearchAsync(new ChunkQuery(mode, text, vector, top, filter ?? ChunkFilter.Unrestricted));

    /// <summary>The index's version and chunk count as the file holds them.</summary>
    public async Task<ChunkIndexState> ReadStateAsync()
    {
        await using var connection = await Database.OpenConnectionAsync();
        await using var transaction = connection.BeginTransaction(deferred: true);
        return await ChunkIndexState.ReadAsync(connection, transaction, CancellationToken.None);
    }

    public void Dispose()
    {
        Index.Dispose();
        Database.Dispose();
        Ratings.Dispose();
        if (_ownsDirectory)
        {
            Directory.Dispose();
        }
    }
}

internal static class TestChunks
{
    public static TheoryData<SearchMode> Modes => [SearchMode.Vector, SearchMode.Keyword, SearchMode.Hybrid];

    public static IndexChunk Create(string source, int ordinal, string text, float[] vector, IReadOnlyList<string> groups)
    {
        var documentId = DocumentIds.ForSource(source);
        return new IndexChunk(
            DocumentIds.ForChunk(documentId, ordinal), documentId, ordinal, source, Page: 1, text, DocumentIds.ContentHash(text), groups, vector);
    }
}

/// <summary>Small hand-made vectors and their exact cosine, computed in double precision.</summary>
internal static class TestVectors
{
    public const int Dimensions = 8;

    /// <summary>An 8-d vector with the given leading components (the rest 0); the index normalises it.</summary>
    public static float[] Of(params float[] components)
    {
        var vector = new float[Dimensions];
        components.CopyTo(vector, 0);
        return vector;
    }

    /// <summary>A random unit vector of <paramref name="dimensions"/> dimensions.</summary>
    public static float[] Random(Random random, int dimensions = Dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = (float)Math.Sqrt(vector.Sum(x => (double)x * x));
        return [.. vector.Select(x => x / norm)];
    }

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
