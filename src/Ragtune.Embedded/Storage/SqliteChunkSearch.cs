using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>A query, checked and prepared: unit query vector, quoted FTS5 terms (none when no word), compiled source filter.</summary>
internal sealed record ChunkSearchRequest(SearchMode Mode, float[] Vector, IReadOnlyList<string> Terms, int Top, AccessScope Access, Func<string, bool>? SourceMatcher)
{
    public static ChunkSearchRequest From(ChunkQuery query) => new(
        query.Mode,
        VectorEncoding.Normalize(query.Vector.Span, "query vector (every hit carries its cosine similarity, so every mode needs it)"),
        query.Mode == SearchMode.Vector ? [] : Fts5Query.Terms(query.Text),
        query.Top,
        query.Filter.Access,
        query.Filter.SourcePatterns.Count == 0 ? null : SourceGlob.CreateMatcher(query.Filter.SourcePatterns));
}

/// <summary>A row of the final ranking: its similarity when already known, and its score in the mode.</summary>
internal readonly record struct RankedRow(long RowId, float? Similarity, double Score);

/// <summary>
/// Runs a search in its mode at one index version: the vector scan over <see cref="SqliteVectorCache"/>'s vectors, the
/// keyword search in a read transaction of the file, both at once for hybrid and fused (<see cref="Fuse"/>), and the
/// hits read in the same transaction. When a commit lands between the vectors and the transaction, the vectors catch
/// up and the search runs again, so it never sees half of a replaced document.
/// </summary>
internal sealed class SqliteChunkSearch(SqliteDatabase database, SqliteVectorCache vectorCache, SqliteKeywordSearch keywords, SqliteStorageOptions options)
{
    private const int MaxAttempts = 8;

    private readonly int _scanParallelism = Math.Min(Environment.ProcessorCount, 4);

    /// <summary>Searches until the in-memory vectors and a read transaction agree on the index version (almost always at once).</summary>
    public async Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkSearchRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var vectors = request.Mode == SearchMode.Keyword ? null : await vectorCache.GetAsync(cancellationToken);
            var (hits, databaseVersion) = await TrySearchAsync(request, vectors, cancellationToken);
            if (hits is not null)
            {
                return hits;
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"The chunk index changed during each of {MaxAttempts} attempts to search it.");
            }

            await vectorCache.CatchUpAsync(databaseVersion, cancellationToken);
        }
    }

    /// <summary>
    /// The hybrid ranking of <paramref name="vectorRows"/> and <paramref name="keywordRows"/> (each best first), fused as
    /// <paramref name="options"/> say, the request's top; equal scores go to the closer chunk, then the lower
    /// row id. A keyword-only row's similarity is looked up in <paramref name="vectors"/>.
    /// </summary>
    internal static List<RankedRow> Fuse(
        SqliteStorageOptions options, VectorSnapshot vectors, ChunkSearchRequest request, ScoredRow[] vectorRows, IReadOnlyList<ScoredRow> keywordRows)
    {
        var similarities = vectorRows.ToDictionary(row => row.RowId, row => row.Score);
        var fused = new List<RankedRow>();
        var lists = new[] { new WeightedRanking(vectorRows, options.VectorWeight), new WeightedRanking(keywordRows, options.KeywordWeight) };
        foreach (var (rowId, score) in RankFusion.Fuse(options.HybridFusion, options.RankFusionK, options.HybridCandidates, lists))
        {
            if (!similarities.TryGetValue(rowId, out var similarity) && !vectors.TryGetScore(rowId, request.Vector, out similarity))
            {
                throw new InvalidOperationException($"Chunk row {rowId} is in the full-text index but not among the vectors of the same version.");
            }

            fused.Add(new RankedRow(rowId, similarity, score));
        }

        // Equal fusion scores happen (rank 3 of one list against rank 3 of the other, or two rows at 0): the closer chunk wins.
        fused.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            var bySimilarity = b.Similarity.GetValueOrDefault().CompareTo(a.Similarity.GetValueOrDefault());
            return byScore != 0 ? byScore : bySimilarity != 0 ? bySimilarity : a.RowId.CompareTo(b.RowId);
        });
        return fused.Count > request.Top ? fused[..request.Top] : fused;
    }

    /// <summary>
    /// Searches at one index version: the in-memory vectors' and the read transaction's. Returns no hits, and the
    /// database's version, when the vectors are of another version (a commit landed in between).
    /// </summary>
    private async Task<(IReadOnlyList<ChunkHit>? Hits, long DatabaseVersion)> TrySearchAsync(
        ChunkSearchRequest request, VectorSnapshot? vectors, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // Deferred: the first read fixes the transaction's view of the file (WAL), and every later read sees the same.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var state = await ChunkIndexState.ReadAsync(connection, transaction, cancellationToken);
        if (vectors is not null && vectors.Version != state.Version)
        {
            return (null, state.Version);
        }

        var candidates = request.Mode == SearchMode.Hybrid ? Math.Max(request.Top * 4, options.HybridCandidates) : request.Top;
        var allowed = vectors?.CreateAllowFlags(request.Access, request.SourceMatcher);
        ScoredRow[] vectorRows = [];
        IReadOnlyList<ScoredRow> keywordRows = [];
        if (request.Mode == SearchMode.Hybrid && request.Terms.Count > 0)
        {
            // The scan runs on other threads while this one waits for SQLite (whose async calls run synchronously); the
            // scan's partitions outnumber its threads, so a core freed by FTS5 takes the partitions left.
            var scan = Task.Run(() => vectors!.Search(request.Vector, allowed!, candidates, _scanParallelism, cancellationToken), cancellationToken);
            try
            {
                keywordRows = await keywords.SearchAsync(connection, transaction, request, state, candidates, cancellationToken);
            }
            finally
            {
                vectorRows = await scan;
            }
        }
        else if (request.Mode == SearchMode.Keyword)
        {
            keywordRows = await keywords.SearchAsync(connection, transaction, request, state, candidates, cancellationToken);
        }
        else
        {
            vectorRows = vectors!.Search(request.Vector, allowed!, candidates, _scanParallelism, cancellationToken);
        }

        var ranked = request.Mode switch
        {
            SearchMode.Vector => [.. vectorRows.Select(row => new RankedRow(row.RowId, row.Score, row.Score))],
            SearchMode.Keyword => [.. keywordRows.Select(row => new RankedRow(row.RowId, null, row.Score))],
            _ => Fuse(options, vectors!, request, vectorRows, keywordRows),
        };
        var hits = await ReadHitsAsync(connection, transaction, request, ranked, cancellationToken);
        return (hits, state.Version);
    }

    private static async Task<IReadOnlyList<ChunkHit>> ReadHitsAsync(
        SqliteConnection connection, SqliteTransaction transaction, ChunkSearchRequest request, List<RankedRow> ranked, CancellationToken cancellationToken)
    {
        if (ranked.Count == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT id, chunk_id, document_id, ordinal, source, page, groups, content_hash, text, vector, section, last_page
            FROM chunks WHERE id IN (SELECT value FROM json_each($ids));
            """;
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ranked.Select(row => row.RowId)));
        var chunks = new Dictionary<long, IndexChunk>(ranked.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var vector = VectorEncoding.FromBlob(reader.GetFieldValue<byte[]>(9));
                if (vector.Length != request.Vector.Length)
                {
                    throw new ArgumentException($"The query vector has {request.Vector.Length} dimensions; the index holds vectors of {vector.Length}.");
                }

                var chunk = new IndexChunk(
                    ChunkId: reader.GetString(1),
                    DocumentId: reader.GetString(2),
                    Ordinal: reader.GetInt32(3),
                    Source: reader.GetString(4),
                    Page: reader.GetInt32(5),
                    Text: reader.GetString(8),
                    ContentHash: reader.GetString(7),
                    Groups: GroupsJson.Parse(reader.GetString(6)),
                    Vector: vector,
                    Section: reader.GetString(10),
                    LastPage: reader.GetInt32(11));

                // The query already filtered; checking again costs little and keeps a filter bug from leaking a chunk.
                if (request.Access.CanRead(chunk.Groups) && (request.SourceMatcher is null || request.SourceMatcher(chunk.Source)))
                {
                    chunks.Add(reader.GetInt64(0), chunk);
                }
            }
        }

        var hits = new List<ChunkHit>(ranked.Count);
        foreach (var row in ranked)
        {
            if (chunks.TryGetValue(row.RowId, out var chunk))
            {
                var similarity = row.Similarity ?? TensorPrimitives.Dot(request.Vector, chunk.Vector.Span);
                hits.Add(new ChunkHit(chunk, similarity, row.Score));
            }
        }

        return hits;
    }
}
