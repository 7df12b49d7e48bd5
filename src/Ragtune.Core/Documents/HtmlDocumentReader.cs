using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ragtune.Core.IO;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads HTML with AngleSharp into Markdown-like text in reading order: headings as <c>#</c> lines, list items as
/// <c>- </c> (or <c>1. </c>) lines, table rows as <c>cell | cell</c>, paragraphs and other blocks separated by blank
/// lines, <c>&lt;br&gt;</c> as a line break, whitespace collapsed. Scripts, styles, templates and the head are left
/// out. The encoding comes from the byte-order mark or the page's meta charset, as a browser finds it; bytes that do
/// not decode become replacement characters rather than failing the page. The DOM is walked with an explicit stack,
/// and nesting deeper than <see cref="DocumentReaderOptions.MaxHtmlDepth"/> fails before parsing.
/// </summary>
public sealed class HtmlDocumentReader(DocumentReaderOptions? options = null) : IDocumentReader
{
    private readonly DocumentReaderOptions _options = options ?? new DocumentReaderOptions();

    public IReadOnlyCollection<string> Extensions { get; } = [".html", ".htm"];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var html = await BoundedRead.ReadAllAsync(content, _options.MaxHtmlBytes, cancellationToken) ?? throw TooLarge(source, _options.MaxHtmlBytes);
        if (html.Length == 0)
        {
            yield break;
        }

        if (HtmlNesting.MaxDepth(AsciiCompatible(html)) > _options.MaxHtmlDepth)
        {
            throw new DocumentReadException(
                source,
                DocumentReadFailure.TooLarge,
                string.Create(CultureInfo.InvariantCulture, $"the HTML nests elements more than {_options.MaxHtmlDepth} levels deep"));
        }

        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using var input = new MemoryStream(html, writable: false);
        using var document = await parser.ParseDocumentAsync(input, cancellationToken);

        var output = new PageTextBuilder(1, _options.BlockCharacters);
        new HtmlTextWalker(output).Walk(document.DocumentElement, cancellationToken);
        output.CompleteBlock();
        while (output.TryTake(out var page))
        {
            yield return page;
        }
    }

    /// <summary>The markup in an ASCII-compatible encoding for the nesting scan: UTF-16 (by its byte-order mark) as UTF-8.</summary>
    private static byte[] AsciiCompatible(byte[] html) => html switch
    {
        [0xFF, 0xFE, ..] => Encoding.UTF8.GetBytes(Encoding.Unicode.GetString(html, 2, html.Length - 2)),
        [0xFE, 0xFF, ..] => Encoding.UTF8.GetBytes(Encoding.BigEndianUnicode.GetString(html, 2, html.Length - 2)),
        _ => html,
    };

    private static DocumentReadException TooLarge(string source, long maxBytes) =>
        new(source, DocumentReadFailure.TooLarge, string.Create(CultureInfo.InvariantCulture, $"the HTML file is larger than {maxBytes / (1024 * 1024)} MB"));

    /// <summary>Turns a DOM into text, depth first with an explicit stack (no recursion, so no depth can overflow it).</summary>
    private sealed class HtmlTextWalker(PageTextBuilder output)
    {
        private static readonly HashSet<string> DroppedElements = new(StringComparer.Ordinal)
        {
            "script", "style", "noscript", "template", "head", "svg", "math", "canvas", "iframe", "object", "embed", "select",
        };

        private static readonly HashSet<string> BlockElements = new(StringComparer.Ordinal)
        {
            "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
            "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "legend",
            "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "ul",
            "h1", "h2", "h3", "h4", "h5", "h6",
        };

        /// <summary>Where inline text goes: the line in progress, or (inside table cells) the innermost cell.</summary>
        private readonly Stack<StringBuilder> _targets = new([new StringBuilder()]);
        private readonly Stack<List<string>> _rows = new();
        private readonly Stack<ListContext> _lists = new();
        private string _prefix = string.Empty;
        private bool _isListLine;
        private int _preformatted;

        public void Walk(IElement? root, CancellationToken cancellationToken)
        {
            if (root is null)
            {
                return;
            }

            var stack = new Stack<(INode Node, bool Leaving)>();
            stack.Push((root, false));
            var visited = 0;
            while (stack.TryPop(out var entry))
            {
                if ((++visited & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (entry.Node is IElement element)
                {
                    if (entry.Leaving)
                    {
                        Leave(element);
                        continue;
                    }

                    if (DroppedElements.Contains(element.LocalName) || element.HasAttribute("hidden"))
                    {
                        continue;
                    }

                    Enter(element);
                    stack.Push((element, true));
                    var children = element.ChildNodes;
                    for (var i = children.Length - 1; i >= 0; i--)
                    {
                        stack.Push((children[i], false));
                    }
                }
                else if (entry.Node is IText text)
                {
                    AppendText(text.Data);
                }
            }

            Break();
        }

        private bool InCell => _targets.Count > 1;

        private void Enter(IElement element)
        {
            var name = element.LocalName;
            switch (name)
            {
                case "br":
                    _targets.Peek().Append(InCell ? ' ' : '\n');
                    return;
                case "td" or "th":
                    _targets.Push(new StringBuilder());
                    return;
                case "tr":
                    Break();
                    _rows.Push([]);
                    return;
                case "ul" or "ol" or "menu":
                    Break();
                    _lists.Push(new ListContext(name == "ol", element is IHtmlOrderedListElement ordered ? ordered.Start : 1));
                    return;
                case "pre":
                    Break();
                    _preformatted++;
                    return;
            }

            if (BlockElements.Contains(name))
            {
                Break();
            }

            if (InCell)
            {
                return;
            }

            if (name is ['h', >= '1' and <= '6'])
            {
                _prefix = new string('#', name[1] - '0') + " ";
                _isListLine = false;
            }
            else if (name == "li")
            {
                var list = _lists.TryPeek(out var current) ? current : null;
                var indent = new string(' ', 2 * Math.Max(0, _lists.Count - 1));
                _prefix = list is { Ordered: true }
                    ? indent + list.Next++.ToString(CultureInfo.InvariantCulture) + ". "
                    : indent + "- ";
                _isListLine = true;
            }
        }

        private void Leave(IElement element)
        {
            var name = element.LocalName;
            switch (name)
            {
                case "td" or "th":
                    var cell = Collapse(_targets.Pop().ToString());
                    if (_rows.TryPeek(out var row))
                    {
                        row.Add(cell);
                    }
                    else
                    {
                        AppendText(cell);
                    }

                    return;
                case "tr":
                    var cells = _rows.Pop();
                    if (cells.Exists(value => value.Length > 0))
                    {
                        var line = string.Join(" | ", cells);
                        if (InCell)
                        {
                            AppendText(line);
                        }
                        else
                        {
                            output.AddLine(line);
                        }
                    }

                    return;
                case "ul" or "ol" or "menu":
                    Break();
                    _lists.Pop();
                    if (_lists.Count == 0)
                    {
                        output.EndLineGroup();
                    }

                    return;
                case "table":
                    Break();
                    output.EndLineGroup();
                    return;
                case "pre":
                    Break();
                    _preformatted--;
                    return;
            }

            if (BlockElements.Contains(name))
            {
                Break();
            }

            if (!InCell && (name == "li" || name is ['h', >= '1' and <= '6']))
            {
                _prefix = string.Empty;
                _isListLine = false;
            }
        }

        private void AppendText(string text)
        {
            var target = _targets.Peek();
            if (_preformatted > 0 && !InCell)
            {
                target.Append(text);
                return;
            }

            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    if (target.Length > 0 && !char.IsWhiteSpace(target[^1]))
                    {
                        target.Append(' ');
                    }
                }
                else
                {
                    target.Append(c);
                }
            }
        }

        /// <summary>Ends the line in progress: inside a cell a space, elsewhere the text goes out as a paragraph or line.</summary>
        private void Break()
        {
            var target = _targets.Peek();
            if (InCell)
            {
                if (target.Length > 0 && !char.IsWhiteSpace(target[^1]))
                {
                    target.Append(' ');
                }

                return;
            }

            var text = _preformatted > 0 ? target.ToString().Trim('\n') : TrimLines(target.ToString());
            target.Clear();
            if (text.Length == 0)
            {
                return;
            }

            if (_isListLine)
            {
                output.AddLine(_prefix + text);
            }
            else
            {
                output.AddParagraph(_prefix + text);
            }

            _prefix = string.Empty;
            _isListLine = false;
        }

        private static string Collapse(string text)
        {
            var collapsed = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (!char.IsWhiteSpace(c))
                {
                    collapsed.Append(c);
                }
                else if (collapsed.Length > 0 && collapsed[^1] != ' ')
                {
                    collapsed.Append(' ');
                }
            }

            return collapsed.ToString().TrimEnd();
        }

        private static string TrimLines(string text) =>
            string.Join('\n', text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));

        private sealed class ListContext(bool ordered, int start)
        {
            public bool Ordered { get; } = ordered;

            public int Next { get; set; } = start;
        }
    }
}
