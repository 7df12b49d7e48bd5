using System.Runtime.CompilerServices;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads Word documents (.docx) with the Open XML SDK: paragraphs in body order, headings (styles Title and
/// Heading 1-6, or an outline level) as <c>#</c> lines, list paragraphs as <c>- </c> lines, tables as
/// <c>cell | cell</c> rows, all on page 1. Encrypted files, files that are not zips and zip bombs fail before
/// parsing.
/// </summary>
public sealed class DocxDocumentReader(DocumentReaderOptions? options = null) : IDocumentReader
{
    private const string Extension = ".docx";

    private readonly DocumentReaderOptions _options = options ?? new DocumentReaderOptions();

    public IReadOnlyCollection<string> Extensions { get; } = [Extension];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var file = await OfficePackage.OpenAsync(source, content, Extension, _options, WordprocessingDocument.Open, cancellationToken);
        var output = new PageTextBuilder(1, _options.BlockCharacters);
        file.Guard(() =>
        {
            var mainPart = file.Document.MainDocumentPart;
            var body = mainPart?.Document?.Body;
            if (mainPart is null || body is null)
            {
                throw file.NotTheFormat();
            }

            new BodyWriter(ParagraphStyles.Load(mainPart), output).Write(body, cancellationToken);
        });

        output.CompleteBlock();
        while (output.TryTake(out var page))
        {
            yield return page;
        }
    }

    private sealed class BodyWriter(ParagraphStyles styles, PageTextBuilder output)
    {
        public void Write(Body body, CancellationToken cancellationToken)
        {
            // Content controls and custom XML wrap paragraphs and tables; an explicit stack walks into them.
            var stack = new Stack<OpenXmlElement>(body.ChildElements.Reverse());
            while (stack.TryPop(out var element))
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (element)
                {
                    case Paragraph paragraph:
                        WriteParagraph(paragraph);
                        break;
                    case Table table:
                        WriteTable(table);
                        break;
                    case SdtBlock or CustomXmlBlock or SdtContentBlock:
                        foreach (var child in element.ChildElements.Reverse())
                        {
                            stack.Push(child);
                        }

                        break;
                }
            }
        }

        private void WriteParagraph(Paragraph paragraph)
        {
            var text = ParagraphText(paragraph);
            if (text.Length == 0)
            {
                return;
            }

            var kind = styles.Classify(paragraph);
            if (kind.HeadingLevel > 0)
            {
                output.AddParagraph(new string('#', kind.HeadingLevel) + " " + text);
            }
            else if (kind.IsListItem)
            {
                output.AddLine("- " + text);
            }
            else
            {
                output.AddParagraph(text);
            }
        }

        private void WriteTable(Table table)
        {
            foreach (var row in table.Elements<TableRow>())
            {
                var cells = row.Elements<TableCell>()
                    .Select(cell => string.Join(" ", cell.Descendants<Paragraph>().Select(ParagraphText).Where(text => text.Length > 0)))
                    .ToList();
                if (cells.Exists(cell => cell.Length > 0))
                {
                    output.AddLine(string.Join(" | ", cells));
                }
            }

            output.EndLineGroup();
        }

        private static string ParagraphText(Paragraph paragraph)
        {
            var text = new StringBuilder();
            foreach (var element in paragraph.Descendants())
            {
                switch (element)
                {
                    case Text run:
                        text.Append(run.Text);
                        break;
                    case TabChar:
                        text.Append(' ');
                        break;
                    case Break line when line.Type is null || line.Type.Value == BreakValues.TextWrapping:
                    case CarriageReturn:
                        text.Append('\n');
                        break;
                    case Break:
                        text.Append(' ');
                        break;
                    case NoBreakHyphen:
                        text.Append('-');
                        break;
                }
            }

            return text.ToString().Trim();
        }
    }

    /// <summary>What a paragraph is: a heading of some level, a list item, or body text.</summary>
    private readonly record struct ParagraphKind(int HeadingLevel, bool IsListItem);

    /// <summary>
    /// The heading level and list membership of each paragraph style, following "based on" chains. Built-in style
    /// names ("heading 1", "Title") are stored in English whatever the document's language, unlike style ids.
    /// </summary>
    private sealed class ParagraphStyles
    {
        private readonly Dictionary<string, ParagraphKind> _byId = new(StringComparer.OrdinalIgnoreCase);

        public static ParagraphStyles Load(MainDocumentPart mainPart)
        {
            var result = new ParagraphStyles();
            var styles = mainPart.StyleDefinitionsPart?.Styles?.Elements<Style>()
                .Where(style => style.StyleId?.Value is not null)
                .ToDictionary(style => style.StyleId!.Value!, StringComparer.OrdinalIgnoreCase) ?? [];

            foreach (var id in styles.Keys)
            {
                int level = 0;
                var isList = false;
                var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var current = id; current is not null && visited.Add(current) && styles.TryGetValue(current, out var style);
                     current = style.BasedOn?.Val?.Value)
                {
                    if (level == 0)
                    {
                        level = LevelFromName(style.StyleName?.Val?.Value) ?? LevelFromOutline(style.StyleParagraphProperties?.OutlineLevel) ?? 0;
                    }

                    isList |= style.StyleParagraphProperties?.NumberingProperties is not null
                        || (style.StyleName?.Val?.Value?.StartsWith("List ", StringComparison.OrdinalIgnoreCase) ?? false);
                }

                result._byId[id] = new ParagraphKind(level, isList);
            }

            return result;
        }

        public ParagraphKind Classify(Paragraph paragraph)
        {
            var properties = paragraph.ParagraphProperties;
            var styleId = properties?.ParagraphStyleId?.Val?.Value;
            var fromStyle = styleId is null
                ? default
                : _byId.TryGetValue(styleId, out var known) ? known : new ParagraphKind(LevelFromName(styleId) ?? 0, false);

            var level = LevelFromOutline(properties?.OutlineLevel) ?? fromStyle.HeadingLevel;
            var numbering = properties?.NumberingProperties;
            var isList = numbering is not null
                ? numbering.NumberingId?.Val?.Value != 0
                : fromStyle.IsListItem;
            return new ParagraphKind(level, level == 0 && isList);
        }

        /// <summary>"heading 2" (a style name) or "Heading2" (a style id) gives 2; "Title" gives 1.</summary>
        private static int? LevelFromName(string? name)
        {
            if (name is null)
            {
                return null;
            }

            if (name.Equals("Title", StringComparison.OrdinalIgnoreCase))
            {
                return 1;
            }

            var compact = name.Replace(" ", string.Empty, StringComparison.Ordinal);
            return compact.Length == 8
                && compact.StartsWith("heading", StringComparison.OrdinalIgnoreCase)
                && compact[7] is >= '1' and <= '6'
                ? compact[7] - '0'
                : null;
        }

        /// <summary>Outline levels 0-5 are heading levels 1-6; 9 is body text.</summary>
        private static int? LevelFromOutline(OutlineLevel? outline) =>
            outline?.Val?.Value is { } value && value < 6 ? value + 1 : null;
    }
}
