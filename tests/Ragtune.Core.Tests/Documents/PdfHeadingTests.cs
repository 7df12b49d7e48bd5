using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Tests.Chunking;
using Ragtune.Testing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Ragtune.Core.Tests.Documents;

/// <summary>PDF headings, told apart by the letters' size and weight, read as Markdown heading lines.</summary>
public sealed class PdfHeadingTests
{
    private const string Body =
        "The plan pays for visits to doctors in the network and for the medicines they prescribe to you each year.";

    [Fact]
    public async Task Read_LargerAndBoldLines_BecomeHeadingsLevelledBySize()
    {
        var page = Assert.Single(await Reading.ReadAsync("guide.pdf", Pdf(
            ("Plan Guide", 24, Style.Regular),
            ("Costs", 16, Style.Bold),
            (Body, 11, Style.Regular),
            (Body, 11, Style.Regular),
            ("Premium details", 11, Style.Bold),
            (Body, 11, Style.Regular),
            ("Vision", 16, Style.Regular),
            (Body, 11, Style.Regular))));

        var lines = page.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["# Plan Guide", "## Costs", "### Premium details", "## Vision"], lines.Where(line => line.StartsWith('#')));
        Assert.Equal(4, page.Text.Split("The plan pays").Length - 1);
        Assert.All(lines.Where(line => line.Contains("The plan pays", StringComparison.Ordinal)), line => Assert.StartsWith("The plan pays", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_LabelLineInBodyType_BecomesTheDeepestHeading()
    {
        var page = Assert.Single(await Reading.ReadAsync("role.pdf", Pdf(
            ("Chief Technology Officer", 16, Style.Bold),
            ("Responsibilities:", 11, Style.Regular),
            (Body, 11, Style.Regular),
            (Body, 11, Style.Regular))));

        Assert.StartsWith("# Chief Technology Officer\n\n### Responsibilities:\n\nThe plan pays", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_DocumentSetInBold_HasNoBoldHeadings()
    {
        var page = Assert.Single(await Reading.ReadAsync("bold.pdf", Pdf(
            ("A bold line of text that runs on for a few more words", 11, Style.Bold),
            (Body, 11, Style.Bold),
            (Body, 11, Style.Bold))));

        Assert.DoesNotContain('#', page.Text);
    }

    [Fact]
    public async Task Read_LongLineInLargeType_StaysText()
    {
        var quote = string.Join(' ', Enumerable.Repeat("large words", 12));
        var page = Assert.Single(await Reading.ReadAsync("quote.pdf", Pdf((quote, 16, Style.Regular), (Body, 11, Style.Regular), (Body, 11, Style.Regular))));

        Assert.DoesNotContain('#', page.Text);
    }

    [Fact]
    public async Task Chunk_RoleLibraryResponsibilities_SayWhoseTheyAre()
    {
        // The example: the chunk listing this responsibility does not hold the job title, which sits before it.
        await using var stream = File.OpenRead(SharedData.ContosoDocument("role_library.pdf"));
        var chunker = new TextChunker(MiniLm.Profile(), Options.Create(new ChunkingOptions()));

        var chunks = await chunker.ChunkAsync(Reading.Readers.ReadAsync("role_library.pdf", stream)).ToListAsync();

        var chunk = chunks.First(c => c.Text.Contains("Manage the company’s IT infrastructure, ensuring its security and reliability", StringComparison.Ordinal));
        Assert.EndsWith("Chief Technology Officer > Responsibilities", chunk.Section, StringComparison.Ordinal);
        Assert.Contains("Chief Technology Officer", chunk.EmbeddingText, StringComparison.Ordinal);
    }

    private enum Style
    {
        Regular,
        Bold,
    }

    /// <summary>One page of lines in Helvetica, top down, a blank line's gap before each line in another size or weight.</summary>
    private static byte[] Pdf(params (string Text, double Size, Style Style)[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var regular = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        var page = builder.AddPage(PageSize.A4);
        var y = 800.0;
        (double Size, Style Style)? previous = null;
        foreach (var (text, size, style) in lines)
        {
            y -= previous == (size, style) ? size * 1.3 : size * 2.2;
            page.AddText(text, size, new PdfPoint(50, y), style == Style.Bold ? bold : regular);
            previous = (size, style);
        }

        return builder.Build();
    }
}
