using System.Collections.Immutable;
using System.Numerics.Tensors;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>Who may read a run of chunk rows: their document, its source and its groups (canonical).</summary>
internal sealed record ChunkOwner(string DocumentId, string Source, string[] Groups);

/// <summary>Rows of vectors in one contiguous array, with each row's chunk row id and owner slot. Never changed once built.</summary>
internal sealed class VectorSegment(float[] vectors, long[] rowIds, int[] owners)
{
    public float[] Vectors { get; } = vectors;

    /// <summary>Ascending.</summary>
    public long[] RowIds { get; } = rowIds;

    public int[] Owners { get; } = owners;

    public int Count => RowIds.Length;
}

/// <summary>
/// The chunk vectors of one version of the index, held in memory for exact search. Immutable: a change builds a new
/// snapshot that shares the unchanged segments, and the index swaps it in atomically, so a search never takes a lock
/// and never sees part of a document's new version. A replaced or deleted document's rows stay in their segment, dead
/// through their owner slot, until <see cref="Compact"/> rewrites the live rows into one segment.
/// </summary>
internal sealed class VectorSnapshot
{
    /// <summary>A scan is split across threads only when each part gets at least this many rows.</summary>
    internal const int RowsPerPartition = 16_384;

    private const int MaxSegments = 256;
    private const int PartitionsPerThread = 4;
    private const int CancellationCheckRows = 8_192;

    private readonly VectorSegment[] _segments;
    private readonly ChunkOwner?[] _owners;
    private readonly int[] _ownerRows;
    private readonly ImmutableDictionary<string, ImmutableArray<int>> _ownersByDocument;
    private readonly byte[] _liveFlags;
    private readonly byte[] _publicFlags;

    private VectorSnapshot(
        long version,
        int dimensions,
        VectorSegment[] segments,
        ChunkOwner?[] owners,
        int[] ownerRows,
        ImmutableDictionary<string, ImmutableArray<int>> ownersByDocument)
    {
        Version = version;
        Dimensions = dimensions;
        _segments = segments;
        _owners = owners;
        _ownerRows = ownerRows;
        _ownersByDocument = ownersByDocument;
        _liveFlags = new byte[owners.Length];
        _publicFlags = new byte[owners.Length];
        for (var slot = 0; slot < owners.Length; slot++)
        {
            if (owners[slot] is { } owner)
            {
                _liveFlags[slot] = 1;
                _publicFlags[slot] = owner.Groups.Length == 0 ? (byte)1 : (byte)0;
                LiveRows += ownerRows[slot];
            }
        }

        foreach (var segment in segments)
        {
            TotalRows += segment.Count;
        }
    }

    /// <summary>The index version (<c>chunk_index_state.version</c>) these vectors are of.</summary>
    public long Version { get; }

    /// <summary>The length of every vector; 0 while there is no row.</summary>
    public int Dimensions { get; }

    public int LiveRows { get; }

    /// <summary>Live and dead rows: all of them are walked by a scan.</summary>
    public int TotalRows { get; }

    public int DocumentCount => _ownersByDocument.Count;

    public int SegmentCount => _segments.Length;

    /// <summary>
    /// True when rewriting the live rows into one segment pays off: dead rows are over a quarter of all rows, more rows
    /// were added since the last compaction than it kept (so each row is copied a bounded number of times), or many small
    /// segments have piled up.
    /// </summary>
    public bool NeedsCompaction =>
        (TotalRows - LiveRows) * 4 > TotalRows
        || (_segments.Length > 1 && TotalRows - _segments[0].Count > _segments[0].Count)
        || _segments.Length > MaxSegments;

    public static VectorSnapshot Empty(long version) =>
        new(version, 0, [], [], [], ImmutableDictionary.Create<string, ImmutableArray<int>>(StringComparer.Ordinal));

    /// <summary>A snapshot of exactly the rows in <paramref name="rows"/>.</summary>
    public static VectorSnapshot Create(long version, VectorSegmentBuilder rows) => Empty(version).Append(version, rows);

    /// <summary>This snapshot with every row of <paramref name="documentId"/> replaced by <paramref name="rows"/> (possibly none).</summary>
    public VectorSnapshot WithDocument(long version, string documentId, VectorSegmentBuilder rows)
    {
        var current = this;
        if (_ownersByDocument.TryGetValue(documentId, out var previous))
        {
            var owners = (ChunkOwner?[])_owners.Clone();
            foreach (var slot in previous)
            {
                owners[slot] = null;
            }

            current = new VectorSnapshot(version, Dimensions, _segments, owners, _ownerRows, _ownersByDocument.Remove(documentId));
        }

        if (rows.Count > 0 && current.Dimensions != 0 && rows.Dimensions != current.Dimensions)
        {
            // Only rows of deleted documents can be left at the old length (the database refuses a mix of lengths).
            current = current.LiveRows == 0
                ? Empty(version)
                : throw new InvalidOperationException($"Vectors of {rows.Dimensions} dimensions cannot join an index of {current.Dimensions}.");
        }

        var updated = current.Append(version, rows);
        return updated.NeedsCompaction ? updated.Compact() : updated;
    }

    /// <summary>This snapshot with no row of <paramref name="documentId"/>.</summary>
    public VectorSnapshot WithoutDocument(long version, string documentId) =>
        WithDocument(version, documentId, new VectorSegmentBuilder(Dimensions, 0));

    /// <summary>The same live rows, in one segment, without the dead ones.</summary>
    public VectorSnapshot Compact()
    {
        var builder = new VectorSegmentBuilder(Dimensions, LiveRows);
        var slots = new Dictionary<int, int>();
        foreach (var segment in _segments)
        {
            for (var r = 0; r < segment.Count; r++)
            {
                var oldSlot = segment.Owners[r];
                if (_owners[oldSlot] is not { } owner)
                {
                    continue;
                }

                if (!slots.TryGetValue(oldSlot, out var slot))
                {
                    slot = builder.AddOwner(owner);
                    slots.Add(oldSlot, slot);
                }

                builder.Add(segment.RowIds[r], slot, segment.Vectors.AsSpan(r * Dimensions, Dimensions));
            }
        }

        return Create(Version, builder);
    }

    /// <summary>Per owner slot, 1 when <paramref name="access"/> and <paramref name="sourceMatcher"/> allow its rows; dead slots are 0.</summary>
    public byte[] CreateAllowFlags(AccessScope access, Func<string, bool>? sourceMatcher)
    {
        if (sourceMatcher is null && access.IsUnrestricted)
        {
            return _liveFlags;
        }

        if (sourceMatcher is null && access.Groups.Count == 0)
        {
            return _publicFlags;
        }

        var flags = new byte[_owners.Length];
        for (var slot = 0; slot < _owners.Length; slot++)
        {
            if (_owners[slot] is { } owner && access.CanRead(owner.Groups) && (sourceMatcher is null || sourceMatcher(owner.Source)))
            {
                flags[slot] = 1;
            }
        }

        return flags;
    }

    /// <summary>
    /// The <paramref name="top"/> rows allowed by <paramref name="allowed"/> with the highest dot product with
    /// <paramref name="query"/> (unit length, so the cosine), best first; split across up to
    /// <paramref name="maxParallelism"/> threads when there are many rows.
    /// </summary>
    public ScoredRow[] Search(float[] query, byte[] allowed, int top, int maxParallelism, CancellationToken cancellationToken)
    {
        if (TotalRows == 0)
        {
            return [];
        }

        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query vector has {query.Length} dimensions; the index holds vectors of {Dimensions}.");
        }

        // More partitions than threads: a thread that is slowed (by other work on its core) leaves partitions to the others.
        var threads = Math.Clamp(TotalRows / RowsPerPartition, 1, Math.Max(1, maxParallelism));
        var partitions = threads == 1 ? 1 : Math.Min(TotalRows / RowsPerPartition, threads * PartitionsPerThread);
        if (partitions == 1)
        {
            return Scan(query, allowed, top, 0, TotalRows, cancellationToken).ToSortedArray();
        }

        var results = new TopScores[partitions];
        Parallel.For(
            0,
            partitions,
            new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken },
            p => results[p] = Scan(query, allowed, top, PartitionStart(p, partitions), PartitionStart(p + 1, partitions), cancellationToken));
        for (var p = 1; p < partitions; p++)
        {
            results[0].Merge(results[p]);
        }

        return results[0].ToSortedArray();
    }

    /// <summary>The dot product of <paramref name="query"/> with the vector of row <paramref name="rowId"/>, if the row is here.</summary>
    public bool TryGetScore(long rowId, float[] query, out float score)
    {
        foreach (var segment in _segments)
        {
            if (segment.Count == 0 || rowId < segment.RowIds[0] || rowId > segment.RowIds[^1])
            {
                continue;
            }

            var row = Array.BinarySearch(segment.RowIds, rowId);
            if (row >= 0 && query.Length == Dimensions)
            {
                score = TensorPrimitives.Dot(query, segment.Vectors.AsSpan(row * Dimensions, Dimensions));
                return true;
            }
        }

        score = 0f;
        return false;
    }

    private int PartitionStart(int partition, int partitions) => (int)((long)TotalRows * partition / partitions);

    private TopScores Scan(float[] query, byte[] allowed, int top, int start, int end, CancellationToken cancellationToken)
    {
        var best = new TopScores(top);
        var dimensions = Dimensions;
        var offset = 0;
        foreach (var segment in _segments)
        {
            var from = Math.Max(start - offset, 0);
            var to = Math.Min(end - offset, segment.Count);
            var vectors = segment.Vectors;
            var owners = segment.Owners;
            var rowIds = segment.RowIds;
            for (var r = from; r < to; r++)
            {
                if (((r - from) & (CancellationCheckRows - 1)) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (allowed[owners[r]] != 0)
                {
                    best.Offer(TensorPrimitives.Dot(query, new ReadOnlySpan<float>(vectors, r * dimensions, dimensions)), rowIds[r]);
                }
            }

            offset += segment.Count;
            if (offset >= end)
            {
                break;
            }
        }

        return best;
    }

    private VectorSnapshot Append(long version, VectorSegmentBuilder rows)
    {
        var (segment, newOwners, newOwnerRows) = rows.Build();
        var firstSlot = _owners.Length;
        var segments = _segments;
        if (segment.Count > 0)
        {
            // The builder numbered its owners from 0; here they follow this snapshot's.
            var owners = segment.Owners;
            for (var r = 0; r < owners.Length; r++)
            {
                owners[r] += firstSlot;
            }

            segments = [.. _segments, segment];
        }

        var byDocument = _ownersByDocument;
        for (var i = 0; i < newOwners.Count; i++)
        {
            var documentId = newOwners[i].DocumentId;
            byDocument = byDocument.SetItem(documentId, byDocument.TryGetValue(documentId, out var slots) ? slots.Add(firstSlot + i) : [firstSlot + i]);
        }

        return new VectorSnapshot(
            version,
            segment.Count > 0 ? rows.Dimensions : Dimensions,
            segments,
            [.. _owners, .. newOwners],
            [.. _ownerRows, .. newOwnerRows],
            byDocument);
    }
}
