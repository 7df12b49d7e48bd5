using System.Text;

namespace Ragtune.Core.Chunking;

/// <summary>
/// Writes pieces as a chunk reads them: each piece after the first preceded by its separator. One per document, its
/// buffer reused for every chunk and every measurement.
/// </summary>
internal sealed class ChunkTextBuilder
{
    private readonly StringBuilder _text = new();

    /// <summary>The text of <paramref name="first"/> followed by <paramref name="second"/> (a chunk's overlap, then its own pieces).</summary>
    public string Join(ReadOnlySpan<ChunkPiece> first, ReadOnlySpan<ChunkPiece> second = default)
    {
        _text.Clear();
        Append(first);
        Append(second);
        return _text.ToString();
    }

    private void Append(ReadOnlySpan<ChunkPiece> pieces)
    {
        foreach (var piece in pieces)
        {
            if (_text.Length > 0)
            {
                _text.Append(piece.Separator);
            }

            _text.Append(piece.Text.Span);
        }
    }
}
