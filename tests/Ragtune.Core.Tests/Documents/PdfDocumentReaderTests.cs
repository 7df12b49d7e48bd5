using System.Text;
using Ragtune.Core.Documents;
using Ragtune.Testing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Ragtune.Core.Tests.Documents;

public sealed class PdfDocumentReaderTests
{
    [Theory]
    [InlineData("employee_handbook.pdf", 11)]
    [InlineData("Benefit_Options.pdf", 4)]
    [InlineData("PerksPlus.pdf", 4)]
    [InlineData("role_library.pdf", 31)]
    public async Task Read_ContosoPdf_GivesOnePagePerPdfPageInOrder(string fileName, int pageCount)
    {
        var pages = await Reading.ReadAsync(fileName, File.OpenRead(SharedData.ContosoDocument(fileName)));

        Assert.Equal(Enumerable.Range(1, pageCount), pages.Select(page => page.Number));
    }

    [Theory]
    [InlineData("employee_handbook.pdf", 5, "We believe that workplace safety is everyone's responsibility and we are committed to providing a safe working environment for all of our employees.")]
    [InlineData("employee_handbook.pdf", 3, "4. Teamwork: We believe that by working together, we can achieve greater success.")]
    [InlineData("Benefit_Options.pdf", 3, "Northwind Health Plus covers generic, brand-name, and specialty drugs, while Northwind Standard only covers generic and brand-name drugs.")]
    [InlineData("Northwind_Health_Plus_Benefits_Details.pdf", 13, "• Be aware that the calendar year deductible is reset each year on the plan’s renewal date.")]
    [InlineData("PerksPlus.pdf", 3, "With PerksPlus, employees have the opportunity to expense up to $1000 for fitness-related programs, making it easier and more affordable to maintain a healthy lifestyle.")]
    public async Task Read_ContosoPdf_FindsKnownSentenceWholeOnItsPage(string fileName, int pageNumber, string sentence)
    {
        var text = await ReadPageAsync(fileName, pageNumber);

        Assert.Contains(sentence, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HangingIndentBullets_KeepsItemsInReadingOrder()
    {
        // Page 13 sets its bullets apart by a tab stop and wraps items under their text, not under the bullet: read
        // naively by layout, "date." becomes a block of its own and comes before the line it ends.
        var text = await ReadPageAsync("Northwind_Health_Plus_Benefits_Details.pdf", 13);

        var first = text.IndexOf("• Make sure you understand the cost sharing", StringComparison.Ordinal);
        var second = text.IndexOf("• Be aware that the calendar year deductible", StringComparison.Ordinal);
        var third = text.IndexOf("• Remember that preventive care services", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first && third > second, $"bullets out of order: {first}, {second}, {third}");
        Assert.DoesNotContain("\ndate.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TwoColumnPage_ReadsTheLeftColumnBeforeTheRight()
    {
        const string LeftEnd = "The left column ends with this sentence about foxes and dogs.";
        const string RightStart = "The right column begins with a sentence about mountain weather.";
        var pdf = TwoColumnPdf(
            "Two Columns",
            "The left column opens here and talks about foxes for a while. A quick brown fox jumps over the lazy dog again and again. " + LeftEnd,
            RightStart + " Spring in the mountains brings rain, then sun, then snow again. The right column closes the page.");
        using (var document = PdfDocument.Open(pdf))
        {
            // The page writes its lines across both columns, so text in content order interleaves them.
            Assert.DoesNotContain(LeftEnd, ContentOrderTextExtractor.GetText(document.GetPage(1)), StringComparison.Ordinal);
        }

        var page = Assert.Single(await Reading.ReadAsync("columns.pdf", pdf));

        Assert.StartsWith("# Two Columns\n\n", page.Text, StringComparison.Ordinal);
        Assert.Contains(LeftEnd, page.Text, StringComparison.Ordinal);
        Assert.Contains(RightStart, page.Text, StringComparison.Ordinal);
        Assert.True(page.Text.IndexOf(LeftEnd, StringComparison.Ordinal) < page.Text.IndexOf(RightStart, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_TruncatedPdf_FailsAsCorrupt()
    {
        var whole = await File.ReadAllBytesAsync(SharedData.ContosoDocument("employee_handbook.pdf"));

        var failure = await Reading.FailureAsync("handbook.pdf", whole[..(whole.Length / 2)]);

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.Contains("truncated", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_PdfWithDamagedBody_FailsAsCorruptWithoutLibraryText()
    {
        var bytes = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage garbage\n%%EOF\n");

        var failure = await Reading.FailureAsync("damaged.pdf", bytes);

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.DoesNotContain("xref", failure.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Read_PasswordProtectedPdf_FailsAsEncrypted()
    {
        var failure = await Reading.FailureAsync("secret.pdf", EncryptedPdf());

        Assert.Equal(DocumentReadFailure.Encrypted, failure.Failure);
    }

    [Fact]
    public async Task Read_ScannedPdfWithoutTextLayer_FailsAsEmptySayingItNeedsOcr()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddPng(OnePixelPng, new PdfRectangle(50, 50, 500, 750));

        var failure = await Reading.FailureAsync("scan.pdf", builder.Build());

        Assert.Equal(DocumentReadFailure.Empty, failure.Failure);
        Assert.Contains("OCR", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_PdfFromStreamThatCannotSeek_ReadsEveryPage()
    {
        var stream = new ForwardOnlyStream(File.OpenRead(SharedData.ContosoDocument("employee_handbook.pdf")));

        var pages = await Reading.ReadAsync("handbook.pdf", stream);

        Assert.Equal(11, pages.Count);
        Assert.Contains("Workplace Violence Prevention Program", pages[4].Text, StringComparison.Ordinal);
    }

    private static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>Reads a Contoso PDF up to one page (pages are read lazily, so later pages cost nothing).</summary>
    private static async Task<string> ReadPageAsync(string fileName, int pageNumber)
    {
        await using var stream = File.OpenRead(SharedData.ContosoDocument(fileName));
        await foreach (var page in Reading.Readers.ReadAsync(fileName, stream))
        {
            if (page.Number == pageNumber)
            {
                return page.Text;
            }
        }

        throw new InvalidOperationException($"{fileName} has no page {pageNumber} with text.");
    }

    /// <summary>
    /// A page with a title and two columns of 11-point Helvetica, written line by line across the page (left line,
    /// right line, next left line...), as some generators do.
    /// </summary>
    private static byte[] TwoColumnPdf(string title, string left, string right)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        page.AddText(title, 16, new PdfPoint(50, 780), font);
        var leftLines = Wrap(left, 40);
        var rightLines = Wrap(right, 40);
        for (var i = 0; i < Math.Max(leftLines.Count, rightLines.Count); i++)
        {
            if (i < leftLines.Count)
            {
                page.AddText(leftLines[i], 11, new PdfPoint(50, 740 - (i * 14)), font);
            }

            if (i < rightLines.Count)
            {
                page.AddText(rightLines[i], 11, new PdfPoint(310, 740 - (i * 14)), font);
            }
        }

        return builder.Build();
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>
    /// A PDF whose trailer names a standard security handler with a user password that the empty password does not
    /// open (PdfPig cannot write encrypted files, so the dictionary is added to one it wrote).
    /// </summary>
    private static byte[] EncryptedPdf()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText("Secret salaries", 12, new PdfPoint(50, 700), font);
        var pdf = Encoding.Latin1.GetString(builder.Build());

        var trailer = pdf.LastIndexOf("trailer", StringComparison.Ordinal);
        var dictionary = pdf.IndexOf("<<", trailer, StringComparison.Ordinal) + 2;
        var encrypt = $"/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <{new string('1', 64)}> /U <{new string('2', 64)}> >> ";
        return Encoding.Latin1.GetBytes(pdf.Insert(dictionary, encrypt));
    }
}
