using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Presentation;
using Ragtune.Core.Documents;
using A = DocumentFormat.OpenXml.Drawing;

namespace Ragtune.Core.Tests.Documents;

public sealed class PptxDocumentReaderTests
{
    [Fact]
    public async Task Read_Pptx_GivesOnePagePerSlideWithTitleShapesTablesAndNotes()
    {
        var pptx = Pptx(
            new SlideContent(
                [TextShape(null, "Enrolment opens on 1 March.", "Closes on 31 March."), TextShape(PlaceholderValues.Title, "Open enrolment")],
                Notes: null),
            new SlideContent(
                [
                    TextShape(PlaceholderValues.CenteredTitle, "Plan costs"),
                    new GroupShape(TextShape(null, "Grouped caption")),
                    TableFrame(["Plan", "Cost"], ["Standard", "$45"]),
                ],
                Notes: "Mention the employer contribution."));

        var pages = await Reading.ReadAsync("enrolment.pptx", pptx);

        Reading.AssertPages(
            pages,
            (1, "# Open enrolment\n\nEnrolment opens on 1 March.\nCloses on 31 March."),
            (2, "# Plan costs\n\nGrouped caption\n\nPlan | Cost\nStandard | $45\n\nNotes:\nMention the employer contribution."));
    }

    [Fact]
    public async Task Read_PptxWithAnEmptySlide_NumbersTheOthersByTheirPosition()
    {
        var pptx = Pptx(
            new SlideContent([TextShape(PlaceholderValues.Title, "First")], null),
            new SlideContent([], null),
            new SlideContent([TextShape(PlaceholderValues.Title, "Third")], null));

        var pages = await Reading.ReadAsync("gaps.pptx", pptx);

        Reading.AssertPages(pages, (1, "# First"), (3, "# Third"));
    }

    [Fact]
    public async Task Read_WordDocumentNamedPptx_FailsAsCorrupt()
    {
        var docx = DocxDocumentReaderTests.Docx(body => body.Append(new DocumentFormat.OpenXml.Wordprocessing.Paragraph()));

        var failure = await Reading.FailureAsync("slides.pptx", docx);

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
    }

    [Fact]
    public async Task Read_EncryptedPptx_FailsAsEncrypted()
    {
        var failure = await Reading.FailureAsync("secret.pptx", DocxDocumentReaderTests.CompoundFile("EncryptionInfo", "EncryptedPackage"));

        Assert.Equal(DocumentReadFailure.Encrypted, failure.Failure);
    }

    private sealed record SlideContent(OpenXmlElement[] Shapes, string? Notes);

    private static byte[] Pptx(params SlideContent[] slides)
    {
        using var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            var presentationPart = document.AddPresentationPart();
            var slideIds = new SlideIdList();
            presentationPart.Presentation = new Presentation(slideIds);
            uint id = 256;
            foreach (var slide in slides)
            {
                var slidePart = presentationPart.AddNewPart<SlidePart>();
                slidePart.Slide = new Slide(new CommonSlideData(new ShapeTree(slide.Shapes.Select(shape => shape.CloneNode(true)))));
                if (slide.Notes is not null)
                {
                    var notesPart = slidePart.AddNewPart<NotesSlidePart>();
                    notesPart.NotesSlide = new NotesSlide(new CommonSlideData(new ShapeTree(
                        TextShape(PlaceholderValues.SlideImage),
                        TextShape(PlaceholderValues.Body, slide.Notes))));
                }

                slideIds.Append(new SlideId { Id = id++, RelationshipId = presentationPart.GetIdOfPart(slidePart) });
            }
        }

        return stream.ToArray();
    }

    private static Shape TextShape(PlaceholderValues? placeholder, params string[] paragraphs)
    {
        var application = new ApplicationNonVisualDrawingProperties();
        if (placeholder is { } type)
        {
            application.Append(new PlaceholderShape { Type = type });
        }

        return new Shape(
            new NonVisualShapeProperties(new NonVisualDrawingProperties { Id = 2, Name = "Shape" }, new NonVisualShapeDrawingProperties(), application),
            new ShapeProperties(),
            new TextBody(new OpenXmlElement[] { new A.BodyProperties(), new A.ListStyle() }
                .Concat(paragraphs.Select(text => new A.Paragraph(new A.Run(new A.Text(text)))))));
    }

    private static GraphicFrame TableFrame(params string[][] rows)
    {
        var table = new A.Table(rows.Select(cells => new A.TableRow(cells.Select(cell =>
            new A.TableCell(new A.TextBody(new A.BodyProperties(), new A.Paragraph(new A.Run(new A.Text(cell)))))))));
        var data = new A.GraphicData(table) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/table" };
        return new GraphicFrame(new A.Graphic(data));
    }
}
