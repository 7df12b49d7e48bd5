using System.Runtime.InteropServices;

namespace Ragtune.Core.Chunking;

/// <summary>The pieces read and bound but not yet in a chunk, in order, with their total tokens.</summary>
internal sealed class PieceQueue
{
    // Pieces before _head are in chunks already; they are dropped in bulk rather than one by one.
    private readonly List<ChunkPiece> _pieces = [];
    private int _head;

    /// <summary>How many pieces wait.</summary>
    public int Count => _pieces.Count - _head;

    /// <summary>The tokens of the waiting pieces, each counted on its own.</summary>
    public int Tokens { get; private set; }

    /// <summary>The waiting pieces, first first. Valid until the queue changes.</summary>
    public ReadOnlySpan<ChunkPiece> Pending => CollectionsMarshal.AsSpan(_pieces)[_head..];

    public void Add(ReadOnlySpan<ChunkPiece> pieces)
    {
        foreach (var piece in pieces)
        {
            _pieces.Add(piece);
            Tokens += piece.Tokens;
        }
    }

    /// <summary>Removes the first <paramref name="count"/> pieces (they went into a chunk).</summary>
    public void RemoveFirst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        foreach (var piece in Pending[..count])
        {
            Tokens -= piece.Tokens;
        }

        _head += count;
        if (_head == _pieces.Count)
        {
            _pieces.Clear();
            _head = 0;
        }
        else if (_head >= 1024 && _head >= _pieces.Count / 2)
        {
            _pieces.RemoveRange(0, _head);
            _head = 0;
        }
    }
}
