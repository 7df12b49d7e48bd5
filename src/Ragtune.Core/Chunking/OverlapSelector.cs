using System.Runtime.InteropServices;

namespace Ragtune.Core.Chunking;

/// <summary>
/// Chooses what a chunk repeats of the one before: the last whole pieces of the previous chunk that fit in a budget,
/// or, when its last sentence alone is longer, its last words. Never a fragment of an over-long word. Holds the previous
/// chunk's pieces (its overlap included) and the current choice.
/// </summary>
internal sealed class OverlapSelector(TokenCounter counter, ChunkTextBuilder text)
{
    private readonly List<ChunkPiece> _selected = [];
    private List<ChunkPiece> _previous = [];
    private List<ChunkPiece> _spare = [];

    /// <summary>The pieces the last <see cref="Select"/> chose, in order. Valid until the next call.</summary>
    public ReadOnlySpan<ChunkPiece> Pieces => CollectionsMarshal.AsSpan(_selected);

    /// <summary>
    /// Chooses the overlap within <paramref name="budget"/> tokens and returns its tokens as it reads (0 when there is no
    /// previous chunk, no budget, or only text the tokenizer ignores).
    /// </summary>
    public int Select(int budget)
    {
        _selected.Clear();
        if (budget <= 0 || _previous.Count == 0)
        {
            return 0;
        }

        var tokens = 0;
        var start = _previous.Count;
        while (start > 0 && !_previous[start - 1].IsFragment && tokens + _previous[start - 1].Tokens <= budget)
        {
            start--;
            tokens += _previous[start].Tokens;
        }

        if (start < _previous.Count)
        {
            // Counted piece by piece; measure the overlap as it will read, dropping sentences from its front while over.
            while (true)
            {
                var measured = counter.Count(text.Join(CollectionsMarshal.AsSpan(_previous)[start..]));
                if (measured == 0)
                {
                    // Only characters the tokenizer ignores: nothing worth repeating.
                    return 0;
                }

                if (measured <= budget || start == _previous.Count - 1)
                {
                    _selected.AddRange(CollectionsMarshal.AsSpan(_previous)[start..]);
                    return measured;
                }

                start++;
            }
        }

        var last = _previous[^1];
        if (last.IsFragment)
        {
            return 0;
        }

        var (suffix, suffixTokens) = TrailingWords(last.Text.Span, budget);
        if (suffixTokens == 0)
        {
            return 0;
        }

        _selected.Add(last with { Text = last.Text[suffix..], Tokens = suffixTokens });
        return suffixTokens;
    }

    /// <summary>Remembers a finished chunk, the overlap last selected and then <paramref name="own"/> pieces, as the previous one.</summary>
    public void Remember(ReadOnlySpan<ChunkPiece> own)
    {
        _spare.Clear();
        _spare.AddRange(CollectionsMarshal.AsSpan(_selected));
        _spare.AddRange(own);
        (_previous, _spare) = (_spare, _previous);
    }

    /// <summary>
    /// Where the longest run of whole words at the end of <paramref name="span"/> within the budget starts, and its
    /// tokens. Where a clause (after a comma, semicolon or colon) starts inside that run and still fills half the
    /// budget, the overlap starts there instead, so that it reads as a phrase rather than from mid-clause.
    /// </summary>
    private (int Start, int Tokens) TrailingWords(ReadOnlySpan<char> span, int budget)
    {
        var start = span.Length;
        var clauseStart = -1;
        var tokens = 0;
        var index = span.Length;
        while (index > 0)
        {
            var wordStart = index;
            while (wordStart > 0 && !char.IsWhiteSpace(span[wordStart - 1]))
            {
                wordStart--;
            }

            tokens += counter.Count(span[wordStart..index]);
            if (tokens > budget)
            {
                break;
            }

            start = wordStart;
            index = wordStart;
            while (index > 0 && char.IsWhiteSpace(span[index - 1]))
            {
                index--;
            }

            if (index > 0 && (span[index - 1] is ',' or ';' or ':') && tokens * 2 >= budget)
            {
                clauseStart = wordStart;
            }
        }

        if (clauseStart >= 0)
        {
            start = clauseStart;
        }

        // The words were counted one by one: measure the run itself, and drop words from its front while over.
        while (start < span.Length)
        {
            var actual = counter.Count(span[start..]);
            if (actual <= budget)
            {
                return (start, actual);
            }

            while (start < span.Length && !char.IsWhiteSpace(span[start]))
            {
                start++;
            }

            while (start < span.Length && char.IsWhiteSpace(span[start]))
            {
                start++;
            }
        }

        return (span.Length, 0);
    }
}
