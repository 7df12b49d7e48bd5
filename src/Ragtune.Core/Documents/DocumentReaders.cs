using System.Runtime.CompilerServices;

namespace Ragtune.Core.Documents;

/// <summary>Chooses the reader for a file by its extension, and says which files are documents at all.</summary>
public sealed class DocumentReaders
{
    /// <summary>The suffix of access-control sidecar files (<c>NAME.acl.json</c>), which are never documents.</summary>
    public const string AccessControlSuffix = ".acl.json";

    private readonly Dictionary<string, IDocumentReader> _byExtension;

    public DocumentReaders(IEnumerable<IDocumentReader> readers)
    {
        _byExtension = new Dictionary<string, IDocumentReader>(StringComparer.OrdinalIgnoreCase);
        foreach (var reader in readers)
        {
            foreach (var extension in reader.Extensions)
            {
                _byExtension[extension] = reader;
            }
        }
    }

    /// <summary>
    /// The registry with every reader Ragtune ships: text and Markdown, HTML, PDF, Word, PowerPoint, Excel, CSV and JSON.
    /// </summary>
    public static DocumentReaders CreateDefault(DocumentReaderOptions? options = null)
    {
        options ??= new DocumentReaderOptions();
        return new DocumentReaders(
        [
            new PlainTextDocumentReader(options),
            new HtmlDocumentReader(options),
            new PdfDocumentReader(),
            new DocxDocumentReader(options),
            new PptxDocumentReader(options),
            new XlsxDocumentReader(options),
            new CsvDocumentReader(options),
            new JsonDocumentReader(options),
        ]);
    }

    /// <summary>The extensions some reader handles.</summary>
    public IReadOnlyCollection<string> SupportedExtensions => _byExtension.Keys;

    /// <summary>True for <c>NAME.acl.json</c> sidecars.</summary>
    public static bool IsAccessControlSidecar(string path) =>
        path.EndsWith(AccessControlSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the path names a document some reader handles (and is not a sidecar).</summary>
    public bool IsSupported(string path) =>
        !IsAccessControlSidecar(path) && _byExtension.ContainsKey(Path.GetExtension(path));

    /// <summary>
    /// Reads a document. Every failure of the document comes out as a <see cref="DocumentReadException"/> naming the
    /// source: an unsupported type, an empty file or one with no text, or whatever the format library rejected.
    /// Cancellation and I/O errors of the content stream itself (a dropped connection) pass through unchanged: they
    /// say nothing about the document, and a later attempt may succeed.
    /// </summary>
    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (IsAccessControlSidecar(source) || !_byExtension.TryGetValue(Path.GetExtension(source), out var reader))
        {
            throw new DocumentReadException(source, DocumentReadFailure.Unsupported, $"unsupported file type '{Path.GetExtension(source)}'");
        }

        var pages = reader.ReadAsync(source, content, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var anyText = false;
        try
        {
            while (true)
            {
                DocumentPage page;
                try
                {
                    if (!await pages.MoveNextAsync())
                    {
                        break;
                    }

                    page = pages.Current;
                }
                catch (Exception exception) when (IsFormatFailure(exception))
                {
                    throw new DocumentReadException(source, DocumentReadFailure.Corrupt, "the file is damaged or not in the format its name says", exception);
                }

                if (string.IsNullOrWhiteSpace(page.Text))
                {
                    continue;
                }

                anyText = true;
                yield return page;
            }
        }
        finally
        {
            await pages.DisposeAsync();
        }

        if (!anyText)
        {
            throw new DocumentReadException(source, DocumentReadFailure.Empty, "the file has no text");
        }
    }

    /// <summary>
    /// True for an exception that says the document is damaged or not in its format, as opposed to cancellation,
    /// exhaustion, our own failure, or an I/O error of the stream (an <see cref="EndOfStreamException"/> means the
    /// data ended early, which is the document's fault).
    /// </summary>
    internal static bool IsFormatFailure(Exception exception) =>
        exception is not (DocumentReadException or OperationCanceledException or OutOfMemoryException)
        && (exception is not IOException || exception is EndOfStreamException);
}
