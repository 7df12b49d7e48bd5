using System.Runtime.CompilerServices;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using Drawing = DocumentFormat.OpenXml.Drawing;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads PowerPoint presentations (.pptx) with the Open XML SDK: one page per slide (its number is the slide's),
/// the title first as a <c>#</c> line, then the text of the other shapes and tables in the slide's order, then the
/// speaker notes, if any.
/// </summary>
public sealed class PptxDocumentReader(DocumentReaderOptions? options = null) : IDocumentReader
{
    private const string Extension = ".pptx";

    private readonly DocumentReaderOptions _options = options ?? new DocumentReaderOptions();

    public IReadOnlyCollection<string> Extensions { get; } = [Extension];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var file = await OfficePackage.OpenAsync(source, content, Extension, _options, PresentationDocument.Open, cancellationToken);
        var presentationPart = file.Document.PresentationPart ?? throw file.NotTheFormat();
        var slideIds = file.Guard(() => presentationPart.Presentation?.SlideIdList?.Elements<SlideId>().ToList() ?? []);
        for (var index = 0; index < slideIds.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var output = new PageTextBuilder(index + 1, _options.BlockCharacters);
            if (slideIds[index].RelationshipId?.Value is { } relationshipId
                && file.Guard(() => presentationPart.GetPartById(relationshipId)) is SlidePart slidePart)
            {
                file.Guard(() => WriteSlide(slidePart, output));
            }

            output.CompleteBlock();
            while (output.TryTake(out var page))
            {
                yield return page;
            }
        }
    }

    private static void WriteSlide(SlidePart slidePart, PageTextBuilder output)
    {
        var shapes = Shapes(slidePart.Slide?.CommonSlideData?.ShapeTree).ToList();
        foreach (var title in shapes.OfType<Shape>().Where(IsTitle))
        {
            var text = ShapeText(title).Replace('\n', ' ');
            if (text.Length > 0)
            {
                output.AddParagraph("# " + text);
            }
        }

        foreach (var shape in shapes)
        {
            switch (shape)
            {
                case Shape body when !IsTitle(body):
                    output.AddParagraph(ShapeText(body));
                    break;
                case GraphicFrame frame:
                    foreach (var table in frame.Descendants<Drawing.Table>())
                    {
                        WriteTable(table, output);
                    }

                    break;
            }
        }

        var notes = slidePart.NotesSlidePart?.NotesSlide?.CommonSlideData?.ShapeTree;
        var notesText = string.Join(
            "\n",
            Shapes(notes).OfType<Shape>()
                .Where(shape => PlaceholderType(shape) == PlaceholderValues.Body)
                .Select(ShapeText)
                .Where(text => text.Length > 0));
        if (notesText.Length > 0)
        {
            output.AddParagraph("Notes:\n" + notesText);
        }
    }

    /// <summary>The shapes of a tree in document order, group shapes opened with an explicit stack.</summary>
    private static IEnumerable<OpenXmlElement> Shapes(OpenXmlCompositeElement? tree)
    {
        if (tree is null)
        {
            yield break;
        }

        var stack = new Stack<OpenXmlElement>(tree.ChildElements.Reverse());
        while (stack.TryPop(out var element))
        {
            if (element is GroupShape group)
            {
                foreach (var child in group.ChildElements.Reverse())
                {
                    stack.Push(child);
                }
            }
            else if (element is Shape or GraphicFrame)
            {
                yield return element;
            }
        }
    }

    private static void WriteTable(Drawing.Table table, PageTextBuilder output)
    {
        foreach (var row in table.Elements<Drawing.TableRow>())
        {
            var cells = row.Elements<Drawing.TableCell>()
                .Select(cell => string.Join(" ", cell.Descendants<Drawing.Paragraph>().Select(ParagraphText).Where(text => text.Length > 0)))
                .ToList();
            if (cells.Exists(cell => cell.Length > 0))
            {
                output.AddLine(string.Join(" | ", cells));
            }
        }

        output.EndLineGroup();
    }

    private static bool IsTitle(Shape shape) =>
        PlaceholderType(shape) is { } type && (type == PlaceholderValues.Title || type == PlaceholderValues.CenteredTitle);

    private static PlaceholderValues? PlaceholderType(Shape shape)
    {
        var placeholder = shape.NonVisualShapeProperties?.ApplicationNonVisualDrawingProperties?.PlaceholderShape;
        if (placeholder is null)
        {
            return null;
        }

        // A placeholder without a type is a body placeholder.
        return placeholder.Type?.Value ?? PlaceholderValues.Body;
    }

    private static string ShapeText(Shape shape) =>
        string.Join(
            "\n",
            (shape.TextBody?.Elements<Drawing.Paragraph>() ?? []).Select(ParagraphText).Where(text => text.Length > 0));

    private static string ParagraphText(Drawing.Paragraph paragraph)
    {
        var text = new StringBuilder();
        foreach (var element in paragraph.Descendants())
        {
            switch (element)
            {
                case Drawing.Text run:
                    text.Append(run.Text);
                    break;
                case Drawing.Break:
                    text.Append('\n');
                    break;
            }
        }

        return text.ToString().Trim();
    }
}
