namespace Ragtune.Core.Documents;

/// <summary>Extracts text from one family of file formats.</summary>
public interface IDocumentReader
{
    /// <summary>The file extensions this reader handles, lower case with the dot (".pdf").</summary>
    IReadOnlyCollection<string> Extensions { get; }

    /// <summary>
    /// Reads the document's text as blocks in reading order. Throws <see cref="DocumentReadException"/> for a file
    /// that cannot be read; never returns an empty sequence for a file that had content.
    /// </summary>
    IAsyncEnumerable<DocumentPage> ReadAsync(string source, Stream content, CancellationToken cancellationToken = default);
}
