using System.Runtime.InteropServices;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Chunking;

/// <summary>
/// The chunker's state for one document, and the order of its steps. Each block of text is read into pieces
/// (<see cref="PieceSplitter"/>), bound and queued (<see cref="BlockBinder"/>, <see cref="PieceQueue"/>); as soon as
/// enough text has arrived to choose where the next chunk ends, the cut is chosen (<see cref="CutPolicy"/>), the
/// overlap fitted beside it (<see cref="OverlapSelector"/>) and the chunk measured as the model reads it, with the
/// heading path it is embedded with (<see cref="SectionPrefixes"/>) in front. What it holds at any time is the block being
/// read, the pieces of about two chunks, and the previous chunk's pieces for the overlap.
/// </summary>
internal sealed class ChunkAssembler
{
    private readonly TokenCounter _counter;
    private readonly int _maxTokens;
    private readonly int _overlapTokens;
    private readonly int _minChunkTokens;
    private readonly PieceSplitter _splitter;
    private readonly BlockBinder _binder;
    private readonly PieceQueue _queue = new();
    private readonly List<Cut> _candidates = [];
    private readonly ChunkTextBuilder _text = new();
    private readonly OverlapSelector _overlap;
    private readonly SectionPrefixes _prefixes;
    private int _ordinal;

    public ChunkAssembler(TokenCounter counter, int maxTokens, int overlapTokens, int minChunkTokens)
    {
        _counter = counter;
        _maxTokens = maxTokens;
        _overlapTokens = overlapTokens;
        _minChunkTokens = minChunkTokens;
        _splitter = new PieceSplitter(counter, maxTokens);
        _binder = new BlockBinder(maxTokens);
        _overlap = new OverlapSelector(counter, _text);
        _prefixes = new SectionPrefixes(counter, maxTokens);
    }

    /// <summary>Reads a block of text and returns the chunks that are complete. Enumerate it fully before the next call.</summary>
    public IEnumerable<TextChunk> Add(DocumentPage page)
    {
        foreach (var block in TextBlockParser.Parse(page.Text))
        {
            _binder.Add(block.Kind, _splitter.Split(block, page.Number), _queue);

            // Past this much text, no possible end of the next chunk depends on what comes later.
            while (_queue.Tokens > _maxTokens + _minChunkTokens)
            {
                yield return Emit(complete: false);
            }
        }
    }

    /// <summary>Returns the remaining chunks once the document has been read.</summary>
    public IEnumerable<TextChunk> Complete()
    {
        _binder.Flush(_queue);
        while (_queue.Count > 0)
        {
            yield return Emit(complete: true);
        }
    }

    private TextChunk Emit(bool complete)
    {
        // The heading path goes in front of the text, within the limit; a chunk whose first piece (with the pieces bound
        // to it) would not fit beside it is embedded without it rather than cut.
        var prefix = _prefixes.For(_queue.Pending[0]);
        if (prefix.Tokens > 0 && prefix.Tokens + FirstRunTokens() > _maxTokens)
        {
            prefix = SectionPrefix.None;
        }

        var limit = _maxTokens - prefix.Tokens;
        var overlapTokens = _overlap.Select(_overlapTokens);
        var room = limit - overlapTokens;
        CutPolicy.FindCandidates(_queue.Pending, _queue.Tokens, limit, complete, _candidates);
        var cut = CutPolicy.Choose(CollectionsMarshal.AsSpan(_candidates), new CutBudget(room, limit, _minChunkTokens), complete).Cut;
        var count = cut.Count;
        if (cut.Tokens > room)
        {
            // Keeping a table, a list, a heading with its text or a paragraph whole is worth some of the overlap.
            overlapTokens = SelectOverlapBefore(count, limit);
        }

        while (true)
        {
            var text = _text.Join(_overlap.Pieces, _queue.Pending[..count]);
            var embedded = prefix.Join(text);
            var tokens = _counter.Count(embedded);
            if (tokens <= _maxTokens)
            {
                return Finish(text, embedded, tokens, count);
            }

            // Pieces were counted one by one; a tokenizer that is not exactly additive over whitespace can make the
            // whole longer than the sum. Give up overlap first, then the last pieces (they open the next chunk), then
            // the heading path.
            if (!_overlap.Pieces.IsEmpty)
            {
                overlapTokens = _overlap.Select(overlapTokens - (tokens - _maxTokens));
            }
            else if (count > 1)
            {
                count--;
                overlapTokens = SelectOverlapBefore(count, limit);
            }
            else if (prefix.Tokens > 0)
            {
                prefix = SectionPrefix.None;
                limit = _maxTokens;
            }
            else
            {
                throw new InvalidOperationException("A piece measured within the chunk limit measures over it on its own.");
            }
        }
    }

    /// <summary>Chooses the overlap for a chunk of the next <paramref name="count"/> pieces: what is left of <paramref name="limit"/> once they are measured.</summary>
    private int SelectOverlapBefore(int count, int limit) =>
        _overlap.Select(Math.Min(_overlapTokens, limit - _counter.Count(_text.Join(_queue.Pending[..count]))));

    /// <summary>The tokens of the first waiting piece and the pieces bound to it: what the next chunk must hold at least.</summary>
    private int FirstRunTokens()
    {
        var pending = _queue.Pending;
        var tokens = pending[0].Tokens;
        for (var index = 1; index < pending.Length && pending[index].Bound; index++)
        {
            tokens += pending[index].Tokens;
        }

        return tokens;
    }

    private TextChunk Finish(string text, string embedded, int tokens, int count)
    {
        var own = _queue.Pending[..count];
        var chunk = new TextChunk(_ordinal++, own[0].Page, text, tokens)
        {
            LastPage = own[^1].Page, Section = SectionPrefixes.SectionOf(own), EmbeddingText = embedded,
        };
        _overlap.Remember(own);
        _queue.RemoveFirst(count);
        return chunk;
    }
}
