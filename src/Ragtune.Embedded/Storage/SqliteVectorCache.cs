using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Ragtune.Embedded.Storage;

/// <summary>A committed change of the index: its new version, and the same change made to the in-memory vectors.</summary>
internal sealed record VectorChange(long Version, Func<VectorSnapshot, VectorSnapshot> Apply);

/// <summary>
/// The index's vectors in memory, kept at the file's version. They are read from the file on the first search. This
/// index's own writes run one at a time under one lock (SQLite allows one writer) and apply their changes in commit
/// order; a file version that moved past the vectors without them was written by another process (or another index
/// over the same file), and the vectors are read again. Searches take no lock unless they load or catch up.
/// </summary>
internal sealed class SqliteVectorCache(SqliteDatabase database, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile VectorSnapshot? _vectors;

    /// <summary>True when the vectors are in memory; inside <see cref="WriteAsync"/>, it holds until the write ends.</summary>
    public bool IsLoaded => _vectors is not null;

    /// <summary>The vectors as they are, read from the file first when they are not in memory.</summary>
    public async Task<VectorSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_vectors is { } vectors)
        {
            return vectors;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _vectors ?? await LoadAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Brings the vectors up to <paramref name="databaseVersion"/>. A commit of this index that raced a search has swapped
    /// its vectors in once the lock is free; a version still behind was written by another process, and the vectors are
    /// read again.
    /// </summary>
    public async Task CatchUpAsync(long databaseVersion, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_vectors is not { } vectors || vectors.Version < databaseVersion)
            {
                if (_vectors is { } stale)
                {
                    Log.ExternalChangeDetected(logger, databaseVersion, stale.Version);
                }

                await LoadAsync(cancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> (one transaction, committed when it returns a change) alone among this index's
    /// writes and loads, then applies its change to the vectors: when they are in memory and were exactly one version
    /// behind; otherwise another writer got in between, and they are dropped, to be read again by the next search.
    /// </summary>
    public async Task WriteAsync(Func<Task<VectorChange?>> write, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (await write() is { } change)
            {
                Apply(change);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// Reads rows of (id, document_id, source, groups, vector), in ascending id order, into a builder of in-memory
    /// vectors with one owner per document, source and groups.
    /// </summary>
    public static async Task<VectorSegmentBuilder> ReadRowsAsync(SqliteCommand command, int dimensions, int capacity, CancellationToken cancellationToken)
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

    /// <summary>Reads every vector from the file into a new snapshot and swaps it in. The caller holds the lock.</summary>
    private async Task<VectorSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var version = (await ChunkIndexState.ReadAsync(connection, transaction, cancellationToken)).Version;
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
        var rows = await ReadRowsAsync(command, dimensions, count, cancellationToken);

        var snapshot = VectorSnapshot.Create(version, rows);
        _vectors = snapshot;
        var elapsed = Stopwatch.GetElapsedTime(started);
        Log.VectorsLoaded(logger, snapshot.LiveRows, snapshot.Dimensions, snapshot.DocumentCount, elapsed.TotalMilliseconds);
        return snapshot;
    }

    /// <summary>Applies a change of this process to the vectors (see <see cref="WriteAsync"/>). The caller holds the lock.</summary>
    private void Apply(VectorChange change)
    {
        if (_vectors is not { } vectors)
        {
            return;
        }

        if (vectors.Version != change.Version - 1)
        {
            Log.ExternalChangeDetected(logger, change.Version, vectors.Version);
            _vectors = null;
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var updated = change.Apply(vectors);
        _vectors = updated;
        if (updated.SegmentCount <= 1 && vectors.SegmentCount > 1)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            Log.VectorsCompacted(logger, updated.LiveRows, updated.SegmentCount, elapsed.TotalMilliseconds);
        }
    }
}
