using System.Text;

namespace Ragtune.Core.Documents;

/// <summary>
/// Collects a page's paragraphs and lines into blocks of bounded size: paragraphs are separated by a blank line,
/// consecutive lines (list items, table rows, records) by a line break. A block is completed before it would grow
/// past the target size, always at a paragraph or line boundary; a single paragraph longer than the target is cut at
/// a line end or a space.
/// </summary>
internal sealed class PageTextBuilder(int pageNumber, int blockCharacters)
{
    private readonly StringBuilder _text = new();
    private readonly Queue<DocumentPage> _completed = new();
    private bool _lastWasLine;

    /// <summary>The page number given to the blocks completed from now on.</summary>
    public int PageNumber { get; set; } = pageNumber;

    /// <summary>Adds a paragraph (it may hold line breaks of its own), separated from what came before by a blank line.</summary>
    public void AddParagraph(string text) => Add(text, isLine: false);

    /// <summary>Adds a line that belongs with the lines around it (a list item, a table row).</summary>
    public void AddLine(string text) => Add(text, isLine: true);

    /// <summary>Ends a group of lines (a table, a list): what follows starts after a blank line.</summary>
    public void EndLineGroup() => _lastWasLine = false;

    /// <summary>Takes the next completed block, if any.</summary>
    public bool TryTake(out DocumentPage page) => _completed.TryDequeue(out page!);

    /// <summary>Completes the block in progress (at the end of a page or of the document).</summary>
    public void CompleteBlock()
    {
        if (_text.Length > 0)
        {
            _completed.Enqueue(new DocumentPage(PageNumber, _text.ToString()));
            _text.Clear();
        }

        _lastWasLine = false;
    }

    private void Add(string text, bool isLine)
    {
        // Leading spaces stay: they indent a nested list item.
        var remaining = text.AsSpan().TrimEnd().TrimStart("\r\n");
        if (remaining.IsWhiteSpace())
        {
            return;
        }

        while (remaining.Length > blockCharacters)
        {
            var cut = TextCut.Find(remaining, blockCharacters);
            Append(remaining[..cut].TrimEnd(), isLine);
            CompleteBlock();
            remaining = remaining[cut..].TrimStart();
        }

        Append(remaining, isLine);
    }

    private void Append(ReadOnlySpan<char> text, bool isLine)
    {
        var separator = isLine && _lastWasLine ? "\n" : "\n\n";
        if (_text.Length > 0 && _text.Length + separator.Length + text.Length > blockCharacters)
        {
            CompleteBlock();
        }

        if (_text.Length > 0)
        {
            _text.Append(separator);
        }

        _text.Append(text);
        _lastWasLine = isLine;
    }
}
