using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Chunking;

/// <summary>
/// The chunker's state for one document. Each block of text is read into pieces (sentences, table rows, list items,
/// headings; words and word fragments only inside a sentence too long for a chunk), each counted once; pieces are
/// packed into chunks as soon as enough text has arrived to choose where the next chunk ends. What it holds at any
/// time is the block being read, the pieces of about two chunks, and the previous chunk's pieces for the overlap.
/// </summary>
internal sealed class ChunkAssembler
{
    private readonly TokenCounter _counter;
    private readonly int _maxTokens;
    private readonly int _overlapTokens;
    private readonly int _minChunkTokens;

    // Pieces not yet in a chunk start at _head.
    private readonly List<ChunkPiece> _queue = [];
    private int _head;
    private int _queuedTokens;

    // Headings waiting for the text they introduce.
    private readonly List<ChunkPiece> _headings = [];
    private int _headingTokens;

    private readonly List<ChunkPiece> _block = [];
    private readonly List<SentenceSpan> _sentences = [];
    private readonly List<ChunkPiece> _overlap = [];
    private readonly List<Cut> _cuts = [];
    private readonly StringBuilder _text = new();
    private List<ChunkPiece> _previous = [];
    private List<ChunkPiece> _spare = [];
    private int _ordinal;

    public ChunkAssembler(TokenCounter counter, int maxTokens, int overlapTokens, int minChunkTokens)
    {
        _counter = counter;
        _maxTokens = maxTokens;
        _overlapTokens = overlapTokens;
        _minChunkTokens = minChunkTokens;
    }

    /// <summary>Reads a block of text and returns the chunks that are complete. Enumerate it fully before the next call.</summary>
    public IEnumerable<TextChunk> Add(DocumentPage page)
    {
        foreach (var block in TextBlockParser.Parse(page.Text))
        {
            var separator = block.FollowsBlankLine ? "\n\n" : "\n";
            var before = block.Kind == TextBlockKind.Heading ? Boundary.Section
                : block.FollowsBlankLine ? Boundary.Paragraph
                : Boundary.Line;

            _block.Clear();
            ReadBlock(block, page.Number, before, separator);
            Push(isHeading: block.Kind == TextBlockKind.Heading);

            // Past this much text, no possible end of the next chunk depends on what comes later.
            while (_queuedTokens > _maxTokens + _minChunkTokens)
            {
                yield return Emit(complete: false);
            }
        }
    }

    /// <summary>Returns the remaining chunks once the document has been read.</summary>
    public IEnumerable<TextChunk> Complete()
    {
        FlushHeadings();
        while (_head < _queue.Count)
        {
            yield return Emit(complete: true);
        }
    }

    private void ReadBlock(TextBlock block, int page, Boundary before, string separator)
    {
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

                BindIfItFits();
                break;
        }
    }

    /// <summary>Counts a unit once: a piece when it fits in a chunk, else split into the smaller units given.</summary>
    private void AddOrSplit(ReadOnlyMemory<char> text, int page, Boundary before, string separator, SplitInto smaller)
    {
        var tokens = _counter.Count(text.Span);
        if (tokens <= _maxTokens)
        {
            _block.Add(new ChunkPiece(text, tokens, page, before, separator));
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
            var (length, tokens) = _counter.FitPrefix(word.Span[offset..], _maxTokens);
            _block.Add(new ChunkPiece(
                word.Slice(offset, length),
                tokens,
                page,
                offset == 0 ? before : Boundary.InsideWord,
                offset == 0 ? separator : "",
                IsFragment: true));
            offset += length;
        }
    }

    /// <summary>Keeps a table or list whole (no chunk ends inside it) when it fits in one chunk.</summary>
    private void BindIfItFits()
    {
        var tokens = 0;
        foreach (var piece in _block)
        {
            tokens += piece.Tokens;
        }

        if (tokens > _maxTokens)
        {
            return;
        }

        for (var index = 1; index < _block.Count; index++)
        {
            _block[index] = _block[index] with { Bound = true };
        }
    }

    /// <summary>Queues the block's pieces; a heading waits for what follows it, and is bound to it where they fit together.</summary>
    private void Push(bool isHeading)
    {
        if (_block.Count == 0)
        {
            return;
        }

        if (_headings.Count > 0)
        {
            if (_headingTokens + FirstRunTokens(_block) <= _maxTokens)
            {
                _block[0] = _block[0] with { Bound = true };
            }
            else
            {
                if (!isHeading)
                {
                    _block[0] = _block[0] with { Before = Boundary.AfterHeading };
                }

                FlushHeadings();
            }
        }

        if (isHeading)
        {
            foreach (var piece in _block)
            {
                _headings.Add(piece);
                _headingTokens += piece.Tokens;
            }
        }
        else
        {
            FlushHeadings();
            Enqueue(_block);
        }
    }

    private static int FirstRunTokens(List<ChunkPiece> pieces)
    {
        var tokens = pieces[0].Tokens;
        for (var index = 1; index < pieces.Count && pieces[index].Bound; index++)
        {
            tokens += pieces[index].Tokens;
        }

        return tokens;
    }

    private void FlushHeadings()
    {
        Enqueue(_headings);
        _headings.Clear();
        _headingTokens = 0;
    }

    private void Enqueue(List<ChunkPiece> pieces)
    {
        foreach (var piece in pieces)
        {
            _queue.Add(piece);
            _queuedTokens += piece.Tokens;
        }
    }

    private TextChunk Emit(bool complete)
    {
        var overlapTokens = SelectOverlap(_overlapTokens);
        var room = _maxTokens - overlapTokens;
        FindCuts(complete);
        var cut = ChooseCut(room, complete);
        var count = cut.Count;
        if (cut.Tokens > room)
        {
            // Keeping a table, a list, a heading with its text or a paragraph whole is worth some of the overlap.
            overlapTokens = SelectOverlapBefore(count);
        }

        while (true)
        {
            var text = BuildText(count);
            var tokens = _counter.Count(text);
            if (tokens <= _maxTokens)
            {
                return Finish(text, tokens, count);
            }

            // Pieces were counted one by one; a tokenizer that is not exactly additive over whitespace can make the
            // whole longer than the sum. Give up overlap first, then the last pieces (they open the next chunk).
            if (_overlap.Count > 0)
            {
                overlapTokens = SelectOverlap(overlapTokens - (tokens - _maxTokens));
            }
            else if (count > 1)
            {
                count--;
                overlapTokens = SelectOverlapBefore(count);
            }
            else
            {
                throw new InvalidOperationException("A piece measured within the chunk limit measures over it on its own.");
            }
        }
    }

    /// <summary>Chooses the overlap for a chunk of the next <paramref name="count"/> pieces: what is left of the limit once they are measured.</summary>
    private int SelectOverlapBefore(int count) =>
        SelectOverlap(Math.Min(_overlapTokens, _maxTokens - _counter.Count(Join(_queue, _head, count))));

    private TextChunk Finish(string text, int tokens, int count)
    {
        var page = _queue[_head].Page;
        _spare.Clear();
        _spare.AddRange(_overlap);
        for (var index = _head; index < _head + count; index++)
        {
            _spare.Add(_queue[index]);
            _queuedTokens -= _queue[index].Tokens;
        }

        (_previous, _spare) = (_spare, _previous);
        _head += count;
        if (_head == _queue.Count)
        {
            _queue.Clear();
            _head = 0;
        }
        else if (_head >= 1024 && _head >= _queue.Count / 2)
        {
            _queue.RemoveRange(0, _head);
            _head = 0;
        }

        return new TextChunk(_ordinal++, page, text, tokens);
    }

    /// <summary>The places the next chunk can end: after a piece that no bound piece follows, within the limit.</summary>
    private void FindCuts(bool complete)
    {
        _cuts.Clear();
        var tokens = 0;
        for (var index = _head; index < _queue.Count; index++)
        {
            tokens += _queue[index].Tokens;
            if (tokens > _maxTokens)
            {
                break;
            }

            var next = index + 1;
            if (next == _queue.Count)
            {
                if (complete)
                {
                    _cuts.Add(new Cut(next - _head, tokens, Boundary.End, 0));
                }

                break;
            }

            if (!_queue[next].Bound)
            {
                _cuts.Add(new Cut(next - _head, tokens, _queue[next].Before, _queuedTokens - tokens));
            }
        }
    }

    /// <summary>
    /// Ends the chunk at the strongest boundary (section, paragraph, line, sentence, clause, word) that leaves it at
    /// least <see cref="_minChunkTokens"/> long and room for the overlap, as late as possible among equals. A cut past
    /// that room is taken, at the cost of overlap, to keep a whole paragraph or group, or when every cut within it
    /// would leave the chunk too short. At the end of the document, no cut leaves a last piece shorter than the minimum
    /// when another cut is possible. Only when nothing else is possible does a chunk hold text the tokenizer ignores
    /// entirely (an emoji, for a BERT vocabulary).
    /// </summary>
    private Cut ChooseCut(int room, bool complete)
    {
        if (_cuts.Count == 0)
        {
            // Cannot happen: the first piece and the pieces bound to it always fit. Take one piece rather than stall.
            var first = _queue[_head];
            return new Cut(1, first.Tokens, Boundary.InsideWord, _queuedTokens - first.Tokens);
        }

        if (Best(_minChunkTokens, room, Boundary.InsideWord, preferLonger: true, complete) is { } best)
        {
            var stronger = (Boundary)Math.Max((int)Boundary.Paragraph, (int)best.Strength + 1);
            return Best(room + 1, _maxTokens, stronger, preferLonger: false, complete) ?? best;
        }

        return Best(room + 1, _maxTokens, Boundary.InsideWord, preferLonger: false, complete)
            ?? Best(1, room, Boundary.InsideWord, preferLonger: true, complete)
            ?? Best(0, _maxTokens, Boundary.InsideWord, preferLonger: true, avoidShortTail: false)!.Value;
    }

    private Cut? Best(int minTokens, int maxTokens, Boundary minStrength, bool preferLonger, bool avoidShortTail)
    {
        Cut? best = null;
        foreach (var cut in _cuts)
        {
            if (cut.Tokens < minTokens || cut.Tokens > maxTokens || cut.Strength < minStrength
                || (avoidShortTail && cut.Remaining > 0 && cut.Remaining < _minChunkTokens))
            {
                continue;
            }

            if (best is not { } current
                || cut.Strength > current.Strength
                || (cut.Strength == current.Strength && (preferLonger ? cut.Tokens > current.Tokens : cut.Tokens < current.Tokens)))
            {
                best = cut;
            }
        }

        return best;
    }

    /// <summary>
    /// Chooses the overlap: the last whole pieces of the previous chunk that fit in <paramref name="budget"/>, or, when
    /// its last sentence alone is longer, its last words. Never a fragment of an over-long word.
    /// </summary>
    private int SelectOverlap(int budget)
    {
        _overlap.Clear();
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
                var measured = _counter.Count(Join(_previous, start, _previous.Count - start));
                if (measured == 0)
                {
                    // Only characters the tokenizer ignores: nothing worth repeating.
                    return 0;
                }

                if (measured <= budget || start == _previous.Count - 1)
                {
                    for (var index = start; index < _previous.Count; index++)
                    {
                        _overlap.Add(_previous[index]);
                    }

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

        _overlap.Add(last with { Text = last.Text[suffix..], Tokens = suffixTokens });
        return suffixTokens;
    }

    /// <summary>
    /// Where the longest run of whole words at the end of <paramref name="text"/> within the budget starts, and its
    /// tokens. Where a clause (after a comma, semicolon or colon) starts inside that run and still fills half the
    /// budget, the overlap starts there instead, so that it reads as a phrase rather than from mid-clause.
    /// </summary>
    private (int Start, int Tokens) TrailingWords(ReadOnlySpan<char> text, int budget)
    {
        var start = text.Length;
        var clauseStart = -1;
        var tokens = 0;
        var index = text.Length;
        while (index > 0)
        {
            var wordStart = index;
            while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]))
            {
                wordStart--;
            }

            tokens += _counter.Count(text[wordStart..index]);
            if (tokens > budget)
            {
                break;
            }

            start = wordStart;
            index = wordStart;
            while (index > 0 && char.IsWhiteSpace(text[index - 1]))
            {
                index--;
            }

            if (index > 0 && (text[index - 1] is ',' or ';' or ':') && tokens * 2 >= budget)
            {
                clauseStart = wordStart;
            }
        }

        if (clauseStart >= 0)
        {
            start = clauseStart;
        }

        // The words were counted one by one: measure the run itself, and drop words from its front while over.
        while (start < text.Length)
        {
            var actual = _counter.Count(text[start..]);
            if (actual <= budget)
            {
                return (start, actual);
            }

            while (start < text.Length && !char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }
        }

        return (text.Length, 0);
    }

    private string BuildText(int count)
    {
        _text.Clear();
        Append(_overlap, 0, _overlap.Count);
        Append(_queue, _head, count);
        return _text.ToString();
    }

    private string Join(List<ChunkPiece> pieces, int start, int count)
    {
        _text.Clear();
        Append(pieces, start, count);
        return _text.ToString();
    }

    private void Append(List<ChunkPiece> pieces, int start, int count)
    {
        for (var index = start; index < start + count; index++)
        {
            if (_text.Length > 0)
            {
                _text.Append(pieces[index].Separator);
            }

            _text.Append(pieces[index].Text.Span);
        }
    }

    /// <summary>What a unit too long for a chunk is split into.</summary>
    private enum SplitInto
    {
        Sentences,
        Words,
        Fragments,
    }

    /// <summary>A place the next chunk can end: after <paramref name="Count"/> pieces holding <paramref name="Tokens"/>.</summary>
    private readonly record struct Cut(int Count, int Tokens, Boundary Strength, int Remaining);
}
