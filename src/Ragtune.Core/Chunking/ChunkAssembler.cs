using System.Runtime.InteropServices;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Chunking;

/// <summary>
/// The chunker's state for one document, and the order of its steps. Each block of text is read into pieces
/// (<see cref="PieceSplitter"/>), bound and queued (<see cref="BlockBinder"/>, <see cref="PieceQueue"/>); as soon as
/// enough text has arrived to choose where the next chunk ends, the cut is chosen (<see cref="CutPolicy"/>), the
/// overlap fitted beside it (<see cref="OverlapSelector"/>) and the chunk measured as it reads. What it holds at any
/// time is the block being read, the pieces of about two chunks, and the previous chunk's pieces for the overlap.
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
        var overlapTokens = _overlap.Select(_overlapTokens);
        var room = _maxTokens - overlapTokens;
        CutPolicy.FindCandidates(_queue.Pending, _queue.Tokens, _maxTokens, complete, _candidates);
        var cut = CutPolicy.Choose(CollectionsMarshal.AsSpan(_candidates), new CutBudget(room, _maxTokens, _minChunkTokens), complete).Cut;
        var count = cut.Count;
        if (cut.Tokens > room)
        {
            // Keeping a table, a list, a heading with its text or a paragraph whole is worth some of the overlap.
            overlapTokens = SelectOverlapBefore(count);
        }

        while (true)
        {
            var text = _text.Join(_overlap.Pieces, _queue.Pending[..count]);
            var tokens = _counter.Count(text);
            if (tokens <= _maxTokens)
            {
                return Finish(text, tokens, count);
            }

            // Pieces were counted one by one; a tokenizer that is not exactly additive over whitespace can make the
            // whole longer than the sum. Give up overlap first, then the last pieces (they open the next chunk).
            if (!_overlap.Pieces.IsEmpty)
            {
                overlapTokens = _overlap.Select(overlapTokens - (tokens - _maxTokens));
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
        _overlap.Select(Math.Min(_overlapTokens, _maxTokens - _counter.Count(_text.Join(_queue.Pending[..count]))));

    private TextChunk Finish(string text, int tokens, int count)
    {
        var page = _queue.Pending[0].Page;
        _overlap.Remember(_queue.Pending[..count]);
        _queue.RemoveFirst(count);
        return new TextChunk(_ordinal++, page, text, tokens);
    }
}
