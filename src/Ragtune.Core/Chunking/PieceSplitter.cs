namespace Ragtune.Core.Chunking;

/// <summary>
/// Reads a block of text into pieces that each fit in a chunk, counting each once: a heading, a paragraph's sentences,
/// a table's rows, a list's items. A unit longer than a chunk is split into smaller ones: a list item into sentences, a
/// sentence, row or heading into words, and a single word longer than a chunk (a base64 blob) into fragments at token
/// boundaries. Each piece records the boundary before it, from which the cut policy chooses where chunks end.
/// </summary>
internal sealed class PieceSplitter(TokenCounter counter, int maxTokens)
{
    private readonly List<ChunkPiece> _pieces = [];
    private readonly List<SentenceSpan> _sentences = [];

    /// <summary>What a unit too long for a chunk is split into.</summary>
    private enum SplitInto
    {
        Sentences,
        Words,
        Fragments,
    }

    /// <summary>The pieces of <paramref name="block"/>, from page <paramref name="page"/>, in order. Valid until the next call.</summary>
    public List<ChunkPiece> Split(TextBlock block, int page)
    {
        var separator = block.FollowsBlankLine ? "\n\n" : "\n";
        var before = block.Kind == TextBlockKind.Heading ? Boundary.Section
            : block.FollowsBlankLine ? Boundary.Paragraph
            : Boundary.Line;

        _pieces.Clear();
        switch (block.Kind)
        {
            case TextBlockKind.Heading:
                AddOrSplit(block.Parts[0].AsMemory(), page, before, separator, SplitInto.Words);
                break;
            case TextBlockKind.Paragraph:
                AddSentences(block.Parts[0].AsMemory(), page, before, separator);
                break;
            default:
                for (var index = 0; index < block.Parts.Count; index++)
                {
                    AddOrSplit(
                        block.Parts[index].AsMemory(),
                        page,
                        index == 0 ? before : Boundary.Line,
                        index == 0 ? separator : "\n",
                        block.Kind == TextBlockKind.List ? SplitInto.Sentences : SplitInto.Words);
                }

                break;
        }

        return _pieces;
    }

    /// <summary>Counts a unit once: a piece when it fits in a chunk, else split into the smaller units given.</summary>
    private void AddOrSplit(ReadOnlyMemory<char> text, int page, Boundary before, string separator, SplitInto smaller)
    {
        var tokens = counter.Count(text.Span);
        if (tokens <= maxTokens)
        {
            _pieces.Add(new ChunkPiece(text, tokens, page, before, separator));
        }
        else if (smaller == SplitInto.Sentences)
        {
            AddSentences(text, page, before, separator);
        }
        else if (smaller == SplitInto.Words)
        {
            AddWords(text, page, before, separator);
        }
        else
        {
            AddFragments(text, page, before, separator);
        }
    }

    private void AddSentences(ReadOnlyMemory<char> text, int page, Boundary before, string separator)
    {
        _sentences.Clear();
        SentenceSplitter.Split(text.Span, _sentences);
        for (var index = 0; index < _sentences.Count; index++)
        {
            var sentence = _sentences[index];
            AddOrSplit(
                text[sentence.Start..sentence.End],
                page,
                index == 0 ? before : Boundary.Sentence,
                index == 0 ? separator : sentence.Separator,
                SplitInto.Words);
        }
    }

    /// <summary>Splits a sentence (or row, or heading) longer than a chunk into words.</summary>
    private void AddWords(ReadOnlyMemory<char> text, int page, Boundary before, string separator)
    {
        var span = text.Span;
        var index = 0;
        while (index < span.Length)
        {
            var gap = index;
            while (index < span.Length && char.IsWhiteSpace(span[index]))
            {
                index++;
            }

            var start = index;
            while (index < span.Length && !char.IsWhiteSpace(span[index]))
            {
                index++;
            }

            if (start == index)
            {
                break;
            }

            var (wordBefore, wordSeparator) =
                start == 0 ? (before, separator)
                : span[gap..start].Contains('\n') ? (Boundary.WrappedLine, "\n")
                : span[gap - 1] is ',' or ';' or ':' ? (Boundary.Clause, " ")
                : (Boundary.Word, " ");
            AddOrSplit(text[start..index], page, wordBefore, wordSeparator, SplitInto.Fragments);
        }
    }

    /// <summary>Splits a single word longer than a chunk (a base64 blob) at token boundaries: the only cut inside a word.</summary>
    private void AddFragments(ReadOnlyMemory<char> word, int page, Boundary before, string separator)
    {
        var offset = 0;
        while (offset < word.Length)
        {
            var (length, tokens) = counter.FitPrefix(word.Span[offset..], maxTokens);
            _pieces.Add(new ChunkPiece(
                word.Slice(offset, length),
                tokens,
                page,
                offset == 0 ? before : Boundary.InsideWord,
                offset == 0 ? separator : "",
                IsFragment: true));
            offset += length;
        }
    }
}
