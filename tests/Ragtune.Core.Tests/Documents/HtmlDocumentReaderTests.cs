using System.Diagnostics;
using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class HtmlDocumentReaderTests
{
    [Fact]
    public async Task Read_Html_RendersHeadingsListsTablesAndParagraphsAsMarkdownLikeText()
    {
        const string Html = """
            <!DOCTYPE html>
            <html>
            <head><title>Benefits</title><style>p { color: red }</style><script>var secret = "hidden";</script></head>
            <body>
              <h1>Benefits   overview</h1>
              <p>Northwind Health Plus covers <b>vision</b> and
                 <a href="/dental">dental</a> services.</p>
              <h2>What is covered</h2>
              <ul><li>Gym memberships</li><li>Yoga &amp; Pilates classes</li></ul>
              <ol start="3"><li>Submit the claim</li><li>Wait for approval</li></ol>
              <table>
                <tr><th>Plan</th><th>Monthly cost</th></tr>
                <tr><td>Standard</td><td>$45</td></tr>
                <tr><td>Plus</td><td><p>$55</p></td></tr>
              </table>
              <p>First line<br>second line</p>
              <noscript>Enable JavaScript</noscript>
              <template><p>template text</p></template>
            </body>
            </html>
            """;

        var pages = await Reading.ReadAsync("benefits.html", Html);

        var page = Assert.Single(pages);
        Assert.Equal(1, page.Number);
        Assert.Equal(
            """
            # Benefits overview

            Northwind Health Plus covers vision and dental services.

            ## What is covered

            - Gym memberships
            - Yoga & Pilates classes

            3. Submit the claim
            4. Wait for approval

            Plan | Monthly cost
            Standard | $45
            Plus | $55

            First line
            second line
            """.ReplaceLineEndings("\n"),
            page.Text);
    }

    [Fact]
    public async Task Read_HtmlDecodesEntitiesAndCollapsesWhitespace()
    {
        var text = await Reading.ReadTextAsync("entities.htm", "<p>  Caf&eacute;\n\n\t&lt;menu&gt;&nbsp;&#8212; &quot;daily&quot;  </p>");

        Assert.Equal("Café <menu> — \"daily\"", text);
    }

    [Fact]
    public async Task Read_NestedListsAndPreformattedText_KeepTheirShape()
    {
        var text = await Reading.ReadTextAsync(
            "nested.html",
            "<ul><li>Plans<ul><li>Standard</li><li>Plus</li></ul></li></ul><pre>line 1\n  indented line 2</pre><p>after</p>");

        Assert.Equal("- Plans\n  - Standard\n  - Plus\n\nline 1\n  indented line 2\n\nafter", text);
    }

    [Fact]
    public async Task Read_DeeplyNestedHtml_FailsQuicklyAsTooLarge()
    {
        const int Depth = 100_000;
        var html = new StringBuilder("<html><body>");
        html.Insert(html.Length, "<div>", Depth).Append("deep text").Insert(html.Length, "</div>", Depth);
        var stopwatch = Stopwatch.StartNew();

        var failure = await Reading.FailureAsync("deep.html", Encoding.UTF8.GetBytes(html.ToString()));

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
        Assert.Contains("512 levels", failure.Reason, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Read_DeeplyNestedHtmlInUtf16_FailsQuicklyAsTooLarge()
    {
        var html = new StringBuilder("<html><body>");
        html.Insert(html.Length, "<b>", 50_000).Append("deep text");
        var encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var stopwatch = Stopwatch.StartNew();

        var failure = await Reading.FailureAsync("deep16.html", [.. encoding.GetPreamble(), .. encoding.GetBytes(html.ToString())]);

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Read_HtmlNestedHundredsOfLevels_ReadsTheInnermostText()
    {
        var html = new StringBuilder("<body>");
        html.Insert(html.Length, "<div><span>", 250).Append("innermost words").Insert(html.Length, "</span></div>", 250);

        var text = await Reading.ReadTextAsync("nested.html", html.ToString());

        Assert.Equal("innermost words", text);
    }

    [Fact]
    public async Task Read_ManyUnclosedParagraphsAndListItems_AreNotCountedAsNesting()
    {
        var html = "<body><ul>" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"<li>item {i}")) + "</ul>"
            + string.Concat(Enumerable.Range(0, 2000).Select(i => $"<p>paragraph {i}"));

        var text = await Reading.ReadTextAsync("sloppy.html", html);

        Assert.StartsWith("- item 0\n- item 1\n", text, StringComparison.Ordinal);
        Assert.EndsWith("paragraph 1998\n\nparagraph 1999", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HtmlWithInvalidUtf8_StillReads()
    {
        var bytes = Encoding.UTF8.GetBytes("<meta charset=\"utf-8\"><p>before ")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF })
            .Concat(Encoding.UTF8.GetBytes(" after</p>"))
            .ToArray();

        var text = await Reading.ReadTextAsync("broken.html", bytes);

        Assert.StartsWith("before ", text, StringComparison.Ordinal);
        Assert.EndsWith(" after", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HtmlDeclaringLatin1_DecodesByItsMetaCharset()
    {
        var bytes = Encoding.Latin1.GetBytes("<html><head><meta charset=\"iso-8859-1\"></head><body><p>Café crème</p></body></html>");

        var text = await Reading.ReadTextAsync("latin1.html", bytes);

        Assert.Equal("Café crème", text);
    }

    [Fact]
    public async Task Read_HtmlLargerThanTheLimit_FailsAsTooLarge()
    {
        var html = "<p>" + new string('x', 4096) + "</p>";

        var failure = await Reading.FailureAsync(
            "big.html",
            new ForwardOnlyStream(new MemoryStream(Encoding.UTF8.GetBytes(html))),
            new DocumentReaderOptions { MaxHtmlBytes = 1024 });

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
    }

    [Fact]
    public async Task Read_HtmlWithOnlyScripts_FailsAsEmpty()
    {
        var failure = await Reading.FailureAsync("app.html", Encoding.UTF8.GetBytes("<html><head><script>run()</script></head><body><script>more()</script></body></html>"));

        Assert.Equal(DocumentReadFailure.Empty, failure.Failure);
    }
}
