namespace Ragtune.Embedded.Storage;

/// <summary>Collects rows (in ascending row id order) and their owners into a new <see cref="VectorSegment"/>.</summary>
internal sealed class VectorSegmentBuilder
{
    private readonly List<ChunkOwner> _owners = [];
    private readonly List<int> _ownerRows = [];
    private float[] _vectors;
    private long[] _rowIds;
    private int[] _slots;
    private int _count;

    /// <param name="dimensions">The length of every vector.</param>
    /// <param name="capacity">The expected number of rows (the arrays grow past it if needed).</param>
    public VectorSegmentBuilder(int dimensions, int capacity)
    {
        Dimensions = dimensions;
        _vectors = new float[capacity * dimensions];
        _rowIds = new long[capacity];
        _slots = new int[capacity];
    }

    public int Dimensions { get; }

    public int Count => _count;

    /// <summary>Registers an owner and returns its slot in this builder (0, 1, ...), to pass to <see cref="Add"/>.</summary>
    public int AddOwner(ChunkOwner owner)
    {
        _owners.Add(owner);
        _ownerRows.Add(0);
        return _owners.Count - 1;
    }

    public void Add(long rowId, int slot, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new InvalidDataException($"A vector has {vector.Length} dimensions where {Dimensions} were expected.");
        }

        if (_count > 0 && rowId <= _rowIds[_count - 1])
        {
            throw new InvalidOperationException("Rows must be added in ascending row id order.");
        }

        if (_count == _rowIds.Length)
        {
            var capacity = Math.Max(16, _count * 2);
            Array.Resize(ref _vectors, capacity * Dimensions);
            Array.Resize(ref _rowIds, capacity);
            Array.Resize(ref _slots, capacity);
        }

        vector.CopyTo(_vectors.AsSpan(_count * Dimensions));
        _rowIds[_count] = rowId;
        _slots[_count] = slot;
        _ownerRows[slot]++;
        _count++;
    }

    /// <summary>
    /// The segment (arrays trimmed to the rows added, owner slots local to this builder), the owners in slot order, and
    /// each owner's row count. The builder is spent.
    /// </summary>
    public (VectorSegment Segment, IReadOnlyList<ChunkOwner> Owners, IReadOnlyList<int> OwnerRows) Build()
    {
        if (_count != _rowIds.Length)
        {
            Array.Resize(ref _vectors, _count * Dimensions);
            Array.Resize(ref _rowIds, _count);
            Array.Resize(ref _slots, _count);
        }

        return (new VectorSegment(_vectors, _rowIds, _slots), _owners, _ownerRows);
    }
}
