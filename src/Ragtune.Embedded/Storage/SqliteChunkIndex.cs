using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// The embedded default's chunk index: chunks, their vectors and an FTS5 index in the SQLite file, and the vectors again in
/// memory for an exact scan. Vector search ranks by cosine (dot product of unit vectors), keyword search by BM25, hybrid by
/// a fusion of the two (<see cref="SqliteStorageOptions.HybridFusion"/>). A search reads the in-memory vectors and the file at the same index version, so
/// it never sees half of a replaced document. One writer at a time (SQLite allows one); searches do not wait for it,
/// except to load the vectors on the first search and to catch up when a commit lands during a search's first reads.
/// SQLite lock timeouts surface as <see cref="Ragtune.Core.DependencyUnavailableException"/>.
/// </summary>
public sealed class SqliteChunkIndex : IChunkIndex, IDisposable
{
    private const int MaxSearchAttempts = 8;
    private const string SourceFunction = "ragtune_source_allowed";

    private readonly SqliteDatabase _database;
    private readonly SqliteStorageOptions _options;
    private readonly ILogger<SqliteChunkIndex> _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly int _scanParallelism = Math.Min(Environment.ProcessorCount, 4);
    private readonly CommonTermFilter _commonTerms;
    private volatile VectorSnapshot? _vectors;

    public SqliteChunkIndex(SqliteDatabase database, IOptions<SqliteStorageOptions> options, ILogger<SqliteChunkIndex> logger)
    {
        _database = database;
        _options = options.Value;
        _logger = logger;
        _commonTerms = new CommonTermFilter(_options.CommonTermChunks);
    }

    public Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(() => ReadEmbeddingsAsync(documentId, cancellationToken));

    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(() => DeleteAsync(documentId, cancellationToken));

    public async Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Top, nameof(query));
        var request = new SearchRequest(
            query.Mode,
            VectorEncoding.Normalize(query.Vector.Span, "query vector (every hit carries its cosine similarity, so every mode needs it)"),
            query.Mode == SearchMode.Vector ? [] : Fts5Query.Terms(query.Text),
            query.Top,
            query.Filter.Access,
            query.Filter.SourcePatterns.Count == 0 ? null : SourceGlob.CreateMatcher(query.Filter.SourcePatterns));
        return query.Mode == SearchMode.Keyword && request.Terms.Count == 0
            ? []
            : await SqliteFailures.TranslateAsync(() => SearchAtOneVersionAsync(request, cancellationToken));
    }

    public Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IChunkReplacement>(new SqliteChunkReplacement(this, _database, documentId));
    }

    public void Dispose() => _writeLock.Dispose();

    /// <summary>
    /// Moves a replacement's staged chunks into the index in one transaction, removing every chunk of the document's
    /// previous version. <paramref name="staging"/> is the replacement's connection, whose temporary table holds the
    /// <paramref name="staged"/> chunks (none when null).
    /// </summary>
    internal Task CommitReplacementAsync(string documentId, SqliteConnection? staging, int staged, int dimensions, CancellationToken cancellationToken) =>
        SqliteFailures.TranslateAsync(() => WriteReplacementAsync(documentId, staging, staged, dimensions, cancellationToken));

    private async Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> ReadEmbeddingsAsync(string documentId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT content_hash, vector FROM chunks WHERE document_id = $document ORDER BY ordinal;";
        command.Parameters.AddWithValue("$document", documentId);
        var embeddings = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            embeddings.TryAdd(reader.GetString(0), VectorEncoding.FromBlob(reader.GetFieldValue<byte[]>(1)));
        }

        return embeddings;
    }

    private async Task DeleteAsync(string documentId, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var deleted = await DeleteChunksAsync(connection, transaction, documentId, cancellationToken);
            if (deleted == 0)
            {
                return;
            }

            var version = await BumpVersionAsync(connection, transaction, -deleted, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            UpdateVectors(version, vectors => vectors.WithoutDocument(version, documentId));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Searches until the in-memory vectors and a read transaction agree on the index version (almost always at once).</summary>
    private async Task<IReadOnlyList<ChunkHit>> SearchAtOneVersionAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var vectors = request.Mode == SearchMode.Keyword ? null : await GetVectorsAsync(cancellationToken);
            var (hits, databaseVersion) = await TrySearchAsync(request, vectors, cancellationToken);
            if (hits is not null)
            {
                return hits;
            }

            if (attempt == MaxSearchAttempts)
            {
                throw new InvalidOperationException($"The chunk index changed during each of {MaxSearchAttempts} attempts to search it.");
            }

            await CatchUpVectorsAsync(databaseVersion, cancellationToken);
        }
    }

    private async Task WriteReplacementAsync(string documentId, SqliteConnection? staging, int staged, int dimensions, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var pooled = staging is null ? await _database.OpenConnectionAsync(cancellationToken) : null;
            var connection = staging ?? pooled!;
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await CheckDimensionsAsync(connection, transaction, documentId, dimensions, cancellationToken);
            var deleted = await DeleteChunksAsync(connection, transaction, documentId, cancellationToken);
            VectorSegmentBuilder? rows = null;
            if (staged > 0)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO chunks (chunk_id, document_id, ordinal, source, page, groups, content_hash, text, vector)
                    SELECT chunk_id, $document_id, ordinal, source, page, groups, content_hash, text, vector
                    FROM temp.staged_chunks ORDER BY ordinal;
                    """;
                insert.Parameters.AddWithValue("$document_id", documentId);
                var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
                if (inserted != staged)
                {
                    throw new InvalidOperationException($"{staged} chunks of document {documentId} were staged, but {inserted} were found to commit.");
                }

                // The in-memory vectors take the new rows only once they are loaded (after a search); until then, the
                // next search reads them from the file with all the others.
                if (_vectors is not null)
                {
                    insert.CommandText = "SELECT id, document_id, source, groups, vector FROM chunks WHERE document_id = $document_id ORDER BY id;";
                    rows = await ReadVectorRowsAsync(insert, dimensions, staged, cancellationToken);
                }
            }

            var version = await BumpVersionAsync(connection, transaction, staged - deleted, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            UpdateVectors(version, vectors => rows is null ? vectors.WithoutDocument(version, documentId) : vectors.WithDocument(version, documentId, rows));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Searches at one index version: the in-memory vectors' and the read transaction's. Returns no hits, and the
    /// database's version, when the vectors are of another version (a commit landed in between).
    /// </summary>
    private async Task<(IReadOnlyList<ChunkHit>? Hits, long DatabaseVersion)> TrySearchAsync(
        SearchRequest request, VectorSnapshot? vectors, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);

        // Deferred: the first read fixes the transaction's view of the file (WAL), and every later read sees the same.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var state = await ReadStateAsync(connection, transaction, cancellationToken);
        if (vectors is not null && vectors.Version != state.Version)
        {
            return (null, state.Version);
        }

        var candidates = request.Mode == SearchMode.Hybrid ? Math.Max(request.Top * 4, _options.HybridCandidates) : request.Top;
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
                keywordRows = await KeywordSearchAsync(connection, transaction, request, state, candidates, cancellationToken);
            }
            finally
            {
                vectorRows = await scan;
            }
        }
        else if (request.Mode == SearchMode.Keyword)
        {
            keywordRows = await KeywordSearchAsync(connection, transaction, request, state, candidates, cancellationToken);
        }
        else
        {
            vectorRows = vectors!.Search(request.Vector, allowed!, candidates, _scanParallelism, cancellationToken);
        }

        var ranked = request.Mode switch
        {
            SearchMode.Vector => [.. vectorRows.Select(row => new RankedRow(row.RowId, row.Score, row.Score))],
            SearchMode.Keyword => [.. keywordRows.Select(row => new RankedRow(row.RowId, null, row.Score))],
            _ => Fuse(vectors!, request, vectorRows, keywordRows),
        };
        var hits = await ReadHitsAsync(connection, transaction, request, ranked, cancellationToken);
        return (hits, state.Version);
    }

    private List<RankedRow> Fuse(VectorSnapshot vectors, SearchRequest request, ScoredRow[] vectorRows, IReadOnlyList<ScoredRow> keywordRows)
    {
        var similarities = vectorRows.ToDictionary(row => row.RowId, row => row.Score);
        var fused = new List<RankedRow>();
        var lists = new[] { new WeightedRanking(vectorRows, _options.VectorWeight), new WeightedRanking(keywordRows, _options.KeywordWeight) };
        foreach (var (rowId, score) in RankFusion.Fuse(_options.HybridFusion, _options.RankFusionK, _options.HybridCandidates, lists))
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

    private async Task<IReadOnlyList<ScoredRow>> KeywordSearchAsync(
        SqliteConnection connection, SqliteTransaction transaction, SearchRequest request, IndexState state, int limit, CancellationToken cancellationToken)
    {
        var match = await _commonTerms.ChooseMatchAsync(connection, transaction, request.Terms, state, cancellationToken);
        if (match is null)
        {
            return [];
        }

        var sql = new StringBuilder("SELECT chunks_fts.rowid, chunks_fts.rank FROM chunks_fts");
        var access = request.Access;
        if (!access.IsUnrestricted || request.SourceMatcher is not null)
        {
            sql.Append(" JOIN chunks AS c ON c.id = chunks_fts.rowid");
        }

        sql.Append(" WHERE chunks_fts MATCH $match");
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        if (!access.IsUnrestricted && access.Groups.Count == 0)
        {
            sql.Append(" AND c.groups = '[]'");
        }
        else if (!access.IsUnrestricted)
        {
            sql.Append(" AND (c.groups = '[]' OR EXISTS (SELECT 1 FROM json_each(c.groups) AS g WHERE g.value IN (SELECT value FROM json_each($groups))))");
            command.Parameters.AddWithValue("$groups", JsonSerializer.Serialize(access.Groups));
        }

        if (request.SourceMatcher is { } matcher)
        {
            var seen = new Dictionary<string, bool>(StringComparer.Ordinal);
            connection.CreateFunction<string, bool>(
                SourceFunction,
                source =>
                {
                    if (!seen.TryGetValue(source, out var allowed))
                    {
                        allowed = matcher(source);
                        seen.Add(source, allowed);
                    }

                    return allowed;
                },
                isDeterministic: true);
            sql.Append(CultureInfo.InvariantCulture, $" AND {SourceFunction}(c.source)");
        }

        sql.Append(" ORDER BY chunks_fts.rank LIMIT $limit;");
        command.CommandText = sql.ToString();
        var rows = new List<ScoredRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // FTS5's bm25() is lower for better matches; the score is its negation, so that higher is better.
            rows.Add(new ScoredRow(reader.GetInt64(0), (float)-reader.GetDouble(1)));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<ChunkHit>> ReadHitsAsync(
        SqliteConnection connection, SqliteTransaction transaction, SearchRequest request, IReadOnlyList<RankedRow> ranked, CancellationToken cancellationToken)
    {
        if (ranked.Count == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT id, chunk_id, document_id, ordinal, source, page, groups, content_hash, text, vector
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
                    Vector: vector);

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
                var similarity = row.Similarity ?? System.Numerics.Tensors.TensorPrimitives.Dot(request.Vector, chunk.Vector.Span);
                hits.Add(new ChunkHit(chunk, similarity, row.Score));
            }
        }

        return hits;
    }

    private async Task<VectorSnapshot> GetVectorsAsync(CancellationToken cancellationToken)
    {
        if (_vectors is { } vectors)
        {
            return vectors;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return _vectors ?? await LoadVectorsAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Brings the in-memory vectors up to <paramref name="databaseVersion"/>. A commit of this index that raced the search
    /// has swapped its vectors in once the write lock is free; a version still behind was written by another process
    /// (or another index over the same file), and the vectors are read again.
    /// </summary>
    private async Task CatchUpVectorsAsync(long databaseVersion, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_vectors is not { } vectors || vectors.Version < databaseVersion)
            {
                if (_vectors is { } stale)
                {
                    Log.ExternalChangeDetected(_logger, databaseVersion, stale.Version);
                }

                await LoadVectorsAsync(cancellationToken);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Reads every vector from the file into a new snapshot and swaps it in. The caller holds the write lock.</summary>
    private async Task<VectorSnapshot> LoadVectorsAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var version = (await ReadStateAsync(connection, transaction, cancellationToken)).Version;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*), coalesce(max(length(vector)), 0) / 4 FROM chunks;";
        int count, dimensions;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            count = reader.GetInt32(0);
            dimensions = reader.GetInt32(1);
        }

        command.CommandText = "SELECT id, document_id, source, groups, vector FROM chunks ORDER BY id;";
        var rows = await ReadVectorRowsAsync(command, dimensions, count, cancellationToken);

        var snapshot = VectorSnapshot.Create(version, rows);
        _vectors = snapshot;
        var elapsed = Stopwatch.GetElapsedTime(started);
        Log.VectorsLoaded(_logger, snapshot.LiveRows, snapshot.Dimensions, snapshot.DocumentCount, elapsed.TotalMilliseconds);
        return snapshot;
    }

    /// <summary>
    /// Reads rows of (id, document_id, source, groups, vector), in ascending id order, into a builder of in-memory
    /// vectors with one owner per document, source and groups.
    /// </summary>
    private static async Task<VectorSegmentBuilder> ReadVectorRowsAsync(SqliteCommand command, int dimensions, int capacity, CancellationToken cancellationToken)
    {
        var rows = new VectorSegmentBuilder(dimensions, capacity);
        var owners = new Dictionary<(string DocumentId, string Source, string Groups), int>();
        var blob = new byte[dimensions * sizeof(float)];
        var vector = new float[dimensions];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(1), reader.GetString(2), reader.GetString(3));
            if (!owners.TryGetValue(key, out var slot))
            {
                slot = rows.AddOwner(new ChunkOwner(key.Item1, key.Item2, GroupsJson.Parse(key.Item3)));
                owners.Add(key, slot);
            }

            var length = reader.GetBytes(4, 0, blob, 0, blob.Length);
            VectorEncoding.FromBlob(blob.AsSpan(0, (int)length), vector);
            rows.Add(reader.GetInt64(0), slot, vector);
        }

        return rows;
    }

    /// <summary>
    /// Applies this process's committed change to the in-memory vectors, when they are loaded and were exactly one version
    /// behind; otherwise another writer got in between, and the vectors are dropped to be read again by the next search.
    /// The caller holds the write lock.
    /// </summary>
    private void UpdateVectors(long version, Func<VectorSnapshot, VectorSnapshot> change)
    {
        if (_vectors is not { } vectors)
        {
            return;
        }

        if (vectors.Version != version - 1)
        {
            Log.ExternalChangeDetected(_logger, version, vectors.Version);
            _vectors = null;
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var updated = change(vectors);
        _vectors = updated;
        if (updated.SegmentCount <= 1 && vectors.SegmentCount > 1)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            Log.VectorsCompacted(_logger, updated.LiveRows, updated.SegmentCount, elapsed.TotalMilliseconds);
        }
    }

    private static async Task CheckDimensionsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string documentId, int dimensions, CancellationToken cancellationToken)
    {
        if (dimensions == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT length(vector) / 4 FROM chunks WHERE document_id <> $document LIMIT 1;";
        command.Parameters.AddWithValue("$document", documentId);
        if (await command.ExecuteScalarAsync(cancellationToken) is long existing && existing != dimensions)
        {
            throw new InvalidOperationException(
                $"Document {documentId} has vectors of {dimensions} dimensions, but the index holds vectors of {existing}: "
                + "an index serves one embedding model. Delete the data directory's database and ingest again to change models.");
        }
    }

    private static async Task<int> DeleteChunksAsync(SqliteConnection connection, SqliteTransaction transaction, string documentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM chunks WHERE document_id = $document;";
        command.Parameters.AddWithValue("$document", documentId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records a change of <paramref name="chunkDelta"/> rows and returns the index's new version.</summary>
    private static async Task<long> BumpVersionAsync(SqliteConnection connection, SqliteTransaction transaction, int chunkDelta, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE chunk_index_state SET version = version + 1, chunks = chunks + $delta WHERE id = 1 RETURNING version;";
        command.Parameters.AddWithValue("$delta", chunkDelta);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<IndexState> ReadStateAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, chunks FROM chunk_index_state WHERE id = 1;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new IndexState(reader.GetInt64(0), reader.GetInt64(1))
            : throw new InvalidDataException("The chunk index state row is missing.");
    }

    /// <summary>A query, checked and prepared: unit query vector, quoted FTS5 terms (none when no word), compiled source filter.</summary>
    private sealed record SearchRequest(SearchMode Mode, float[] Vector, IReadOnlyList<string> Terms, int Top, AccessScope Access, Func<string, bool>? SourceMatcher);

    /// <summary>The index's version (bumped by every change) and its number of chunks, as one read transaction sees them.</summary>
    internal readonly record struct IndexState(long Version, long Chunks);

    /// <summary>A row of the final ranking: its similarity when already known, and its score in the mode.</summary>
    private readonly record struct RankedRow(long RowId, float? Similarity, double Score);
}
