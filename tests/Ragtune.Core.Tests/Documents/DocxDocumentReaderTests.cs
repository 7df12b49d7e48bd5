using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class DocxDocumentReaderTests
{
    [Fact]
    public async Task Read_Docx_GivesHeadingsListsTablesAndParagraphsInBodyOrder()
    {
        var docx = Docx(body =>
        {
            body.Append(
                Paragraph("Employee Handbook", style: "Title"),
                Paragraph("Leave", style: "Heading1"),
                Paragraph("Annual leave is 25 days."),
                ListItem("Ask your manager"),
                ListItem("Record it in the portal"),
                Paragraph("Costs", style: "Heading2"),
                Table(["Plan", "Monthly cost"], ["Standard", "$45"], ["Plus", "$55"]),
                new SdtBlock(new SdtContentBlock(Paragraph("Inside a content control."))),
                Paragraph("Questions? Ask HR."));
        });

        var pages = await Reading.ReadAsync("handbook.docx", docx);

        var page = Assert.Single(pages);
        Assert.Equal(1, page.Number);
        Assert.Equal(
            """
            # Employee Handbook

            # Leave

            Annual leave is 25 days.

            - Ask your manager
            - Record it in the portal

            ## Costs

            Plan | Monthly cost
            Standard | $45
            Plus | $55

            Inside a content control.

            Questions? Ask HR.
            """.ReplaceLineEndings("\n"),
            page.Text);
    }

    [Fact]
    public async Task Read_DocxWithLocalisedHeadingStyle_FindsTheHeadingByStyleName()
    {
        var docx = Docx(body => body.Append(Paragraph("Urlaub", style: "berschrift2"), Paragraph("Text.")));

        var text = await Reading.ReadTextAsync("german.docx", docx);

        Assert.Equal("## Urlaub\n\nText.", text);
    }

    [Fact]
    public async Task Read_DocxRuns_JoinsTextWithBreaksAndTabs()
    {
        var paragraph = new Paragraph(
            new Run(new Text("Line one") { Space = SpaceProcessingModeValues.Preserve }, new Break(), new Text("line two")),
            new Run(new TabChar(), new Text("after tab")),
            new Run(new DeletedText("deleted")));

        var text = await Reading.ReadTextAsync("runs.docx", Docx(body => body.Append(paragraph)));

        Assert.Equal("Line one\nline two after tab", text);
    }

    [Fact]
    public async Task Read_DocxThatIsNotAZip_FailsAsCorrupt()
    {
        var failure = await Reading.FailureAsync("report.docx", Encoding.UTF8.GetBytes("This is a text file with the wrong name."));

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.Equal("not a valid .docx (zip) file", failure.Reason);
    }

    [Fact]
    public async Task Read_ZipThatIsNotAWordDocument_FailsAsCorrupt()
    {
        var failure = await Reading.FailureAsync("archive.docx", Zip(("readme.txt", Encoding.UTF8.GetBytes("hello"))));

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.Equal("not a valid .docx file (the package holds no such document)", failure.Reason);
    }

    [Fact]
    public async Task Read_DocxWithBrokenXml_FailsAsCorrupt()
    {
        var docx = Docx(body => body.Append(Paragraph("Fine so far.")));
        var broken = ReplaceEntry(docx, "word/document.xml", Encoding.UTF8.GetBytes("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>"));

        var failure = await Reading.FailureAsync("broken.docx", broken);

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.Equal("the .docx file is damaged and cannot be read", failure.Reason);
    }

    [Fact]
    public async Task Read_EncryptedOfficeFile_FailsAsEncrypted()
    {
        var failure = await Reading.FailureAsync("secret.docx", CompoundFile("EncryptionInfo", "EncryptedPackage"));

        Assert.Equal(DocumentReadFailure.Encrypted, failure.Failure);
    }

    [Fact]
    public async Task Read_LegacyBinaryWordFileNamedDocx_FailsAsCorrupt()
    {
        var failure = await Reading.FailureAsync("old.docx", CompoundFile("WordDocument", "1Table"));

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.Contains("older binary Office format", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ZipBomb_FailsAsTooLargeBeforeParsing()
    {
        var docx = Docx(body => body.Append(Paragraph("Looks harmless.")));
        var bomb = AddEntry(docx, "word/media/padding.bin", new byte[16 * 1024 * 1024]);

        var failure = await Reading.FailureAsync("bomb.docx", bomb);

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
        Assert.Contains("zip bomb", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_DocxOverTheUncompressedLimit_FailsAsTooLarge()
    {
        var docx = Docx(body => body.Append(Paragraph(new string('x', 20_000))));

        var failure = await Reading.FailureAsync("long.docx", docx, new DocumentReaderOptions { MaxOfficeUncompressedBytes = 10_000 });

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
    }

    [Fact]
    public async Task Read_DocxWithoutText_FailsAsEmpty()
    {
        var failure = await Reading.FailureAsync("blank.docx", Docx(body => body.Append(new Paragraph())));

        Assert.Equal(DocumentReadFailure.Empty, failure.Failure);
    }

    [Fact]
    public async Task Read_DocxFromStreamThatCannotSeek_Reads()
    {
        var docx = Docx(body => body.Append(Paragraph("Streamed from a blob.")));

        var pages = await Reading.ReadAsync("blob.docx", new ForwardOnlyStream(new MemoryStream(docx)));

        Assert.Equal("Streamed from a blob.", Assert.Single(pages).Text);
    }

    internal static byte[] Docx(Action<Body> write)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(
                ParagraphStyle("Normal", "Normal"),
                ParagraphStyle("Title", "Title"),
                ParagraphStyle("Heading1", "heading 1"),
                ParagraphStyle("Heading2", "heading 2"),
                ParagraphStyle("berschrift2", "heading 2"),
                ParagraphStyle("ListParagraph", "List Paragraph"));
            var body = new Body();
            write(body);
            main.Document = new Document(body);
        }

        return stream.ToArray();
    }

    private static Style ParagraphStyle(string id, string name) =>
        new(new StyleName { Val = name }) { Type = StyleValues.Paragraph, StyleId = id };

    private static Paragraph Paragraph(string text, string? style = null)
    {
        var paragraph = new Paragraph(new Run(new Text(text)));
        if (style is not null)
        {
            paragraph.PrependChild(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }

        return paragraph;
    }

    private static Paragraph ListItem(string text) =>
        new(
            new ParagraphProperties(
                new ParagraphStyleId { Val = "ListParagraph" },
                new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = 1 })),
            new Run(new Text(text)));

    private static Table Table(params string[][] rows) =>
        new(rows.Select(cells => new TableRow(cells.Select(cell => new TableCell(Paragraph(cell))))));

    internal static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }

    internal static byte[] AddEntry(byte[] package, string name, byte[] content) => ReplaceEntry(package, name, content);

    internal static byte[] ReplaceEntry(byte[] package, string name, byte[] content)
    {
        using var stream = new MemoryStream();
        stream.Write(package);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(name)?.Delete();
            using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            entry.Write(content);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The start of an OLE compound file: its signature, then a directory naming the given streams in UTF-16, as an
    /// encrypted Office file (EncryptionInfo, EncryptedPackage) or a legacy .doc (WordDocument) has.
    /// </summary>
    internal static byte[] CompoundFile(params string[] streamNames)
    {
        var file = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(file, 0);
        var offset = 1024;
        foreach (var name in streamNames)
        {
            var bytes = Encoding.Unicode.GetBytes(name);
            bytes.CopyTo(file, offset);
            offset += 128;
        }

        return file;
    }
}
