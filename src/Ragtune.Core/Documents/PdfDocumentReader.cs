using System.Runtime.CompilerServices;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Exceptions;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads PDF with PdfPig: one page of text per PDF page, in reading order by layout analysis (multi-column pages
/// read column by column), blocks separated by blank lines, headings (by the letters' size and weight, measured over the
/// whole document first) as Markdown heading lines. A password-protected file fails as encrypted; a
/// truncated or damaged one as corrupt; one with no text layer (a scan) as empty, saying so.
/// </summary>
public sealed class PdfDocumentReader : IDocumentReader
{
    /// <summary>The PDF specification allows the header and the end-of-file marker this far from the file's ends.</summary>
    private const int MarkerWindowBytes = 1024;

    public IReadOnlyCollection<string> Extensions { get; } = [".pdf"];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var seekable = await SeekableContent.OpenAsync(source, content, cancellationToken);
        await CheckMarkersAsync(source, seekable.Stream, cancellationToken);

        using var document = Open(source, seekable.Stream);
        var pageCount = document.NumberOfPages;
        var styles = PdfHeadingStyles.Measure(Enumerable.Range(1, pageCount).Select(number => ReadPage(source, document, number, page => page.Letters)));
        var anyText = false;
        var anyImage = false;
        for (var number = 1; number <= pageCount; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (text, hasImage) = ReadPage(source, document, number, page =>
            {
                var text = PdfPageText.Extract(page, styles);
                return (text, text.Length == 0 && page.NumberOfImages > 0);
            });
            anyImage |= hasImage;
            if (!string.IsNullOrWhiteSpace(text))
            {
                anyText = true;
                yield return new DocumentPage(number, text);
            }
        }

        if (!anyText)
        {
            throw new DocumentReadException(
                source,
                DocumentReadFailure.Empty,
                anyImage ? "the PDF has no text layer (it looks like a scanned image; it needs OCR)" : "the PDF has no text");
        }
    }

    /// <summary>
    /// A PDF starts with <c>%PDF-</c> and ends with <c>%%EOF</c>. PdfPig can recover a file cut in half and read
    /// part of it, which would index a document silently missing pages: a missing end marker fails the file instead.
    /// </summary>
    private static async Task CheckMarkersAsync(string source, Stream stream, CancellationToken cancellationToken)
    {
        var start = stream.Position;
        var window = new byte[MarkerWindowBytes];
        var read = await stream.ReadAtLeastAsync(window, window.Length, throwOnEndOfStream: false, cancellationToken);
        if (window.AsSpan(0, read).IndexOf("%PDF-"u8) < 0)
        {
            throw new DocumentReadException(source, DocumentReadFailure.Corrupt, "not a PDF file");
        }

        stream.Position = Math.Max(start, stream.Length - MarkerWindowBytes);
        read = await stream.ReadAtLeastAsync(window, window.Length, throwOnEndOfStream: false, cancellationToken);
        if (window.AsSpan(0, read).IndexOf("%%EOF"u8) < 0)
        {
            throw new DocumentReadException(source, DocumentReadFailure.Corrupt, "the PDF is truncated or damaged (it has no end-of-file marker)");
        }

        stream.Position = start;
    }

    private static PdfDocument Open(string source, Stream stream)
    {
        try
        {
            return PdfDocument.Open(stream, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        }
        catch (PdfDocumentEncryptedException exception)
        {
            throw new DocumentReadException(source, DocumentReadFailure.Encrypted, "the PDF is password-protected", exception);
        }
        catch (Exception exception) when (DocumentReaders.IsFormatFailure(exception))
        {
            throw new DocumentReadException(source, DocumentReadFailure.Corrupt, "the PDF is damaged and cannot be read", exception);
        }
    }

    /// <summary>Reads what <paramref name="read"/> takes from a page; a damaged or encrypted page fails the document as such.</summary>
    private static T ReadPage<T>(string source, PdfDocument document, int number, Func<Page, T> read)
    {
        try
        {
            return read(document.GetPage(number));
        }
        catch (PdfDocumentEncryptedException exception)
        {
            throw new DocumentReadException(source, DocumentReadFailure.Encrypted, "the PDF is password-protected", exception);
        }
        catch (Exception exception) when (DocumentReaders.IsFormatFailure(exception))
        {
            throw new DocumentReadException(source, DocumentReadFailure.Corrupt, $"page {number} of the PDF is damaged and cannot be read", exception);
        }
    }
}
