using System.Runtime.InteropServices;
using System.Text;

namespace Ragtune.Core.Chunking;

/// <summary>
/// Marks where no chunk may end, and queues each block's pieces: the rows of a table or the items of a list stay
/// together when they fit in one chunk, and a heading waits for the text it introduces and is bound to it when they fit
/// together (a run of headings waits as one). It sees every heading before the text under it, so it also keeps the
/// document's current <see cref="HeadingPath"/> and gives each piece the path it stands under.
/// </summary>
internal sealed class BlockBinder(int maxTokens)
{
    // Headings waiting for the text they introduce.
    private readonly List<ChunkPiece> _headings = [];
    private readonly StringBuilder _headingLine = new();
    private int _headingTokens;
    private HeadingPath? _section;

    /// <summary>
    /// Binds a block's pieces (its own list, changed in place) and queues them, or holds them while they are a heading.
    /// Each piece gets the heading path it stands under; a heading's pieces, the path it opens.
    /// </summary>
    public void Add(TextBlockKind kind, List<ChunkPiece> pieces, PieceQueue queue)
    {
        var isHeading = kind == TextBlockKind.Heading;
        if (isHeading)
        {
            _section = HeadingPath.Enter(_section, Line(pieces));
        }

        for (var index = 0; index < pieces.Count; index++)
        {
            pieces[index] = pieces[index] with { Section = _section, IsHeading = isHeading };
        }

        if (kind is TextBlockKind.Table or TextBlockKind.List)
        {
            BindIfItFits(pieces);
        }

        if (pieces.Count == 0)
        {
            return;
        }

        if (_headings.Count > 0)
        {
            if (_headingTokens + FirstRunTokens(pieces) <= maxTokens)
            {
                pieces[0] = pieces[0] with { Bound = true };
            }
            else
            {
                if (!isHeading)
                {
                    pieces[0] = pieces[0] with { Before = Boundary.AfterHeading };
                }

                Flush(queue);
            }
        }

        if (isHeading)
        {
            foreach (var piece in pieces)
            {
                _headings.Add(piece);
                _headingTokens += piece.Tokens;
            }
        }
        else
        {
            Flush(queue);
            queue.Add(CollectionsMarshal.AsSpan(pieces));
        }
    }

    /// <summary>Queues the headings still waiting (at the end of the document, or before text they cannot be bound to).</summary>
    public void Flush(PieceQueue queue)
    {
        queue.Add(CollectionsMarshal.AsSpan(_headings));
        _headings.Clear();
        _headingTokens = 0;
    }

    /// <summary>The text of a block's pieces as one line (a heading split into words, whole again).</summary>
    private string Line(List<ChunkPiece> pieces)
    {
        _headingLine.Clear();
        foreach (var piece in pieces)
        {
            _headingLine.Append(_headingLine.Length > 0 ? piece.Separator : "").Append(piece.Text.Span);
        }

        return _headingLine.ToString();
    }

    /// <summary>Keeps a table or list whole (no chunk ends inside it) when it fits in one chunk.</summary>
    private void BindIfItFits(List<ChunkPiece> pieces)
    {
        var tokens = 0;
        foreach (var piece in pieces)
        {
            tokens += piece.Tokens;
        }

        if (tokens > maxTokens)
        {
            return;
        }

        for (var index = 1; index < pieces.Count; index++)
        {
            pieces[index] = pieces[index] with { Bound = true };
        }
    }

    /// <summary>The tokens of the first piece and the pieces bound to it.</summary>
    private static int FirstRunTokens(List<ChunkPiece> pieces)
    {
        var tokens = pieces[0].Tokens;
        for (var index = 1; index < pieces.Count && pieces[index].Bound; index++)
        {
            tokens += pieces[index].Tokens;
        }

        return tokens;
    }
}
