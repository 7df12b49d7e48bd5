namespace Ragtune.Core.Chunking;

/// <summary>A piece of a document small enough for the embedding model.</summary>
/// <param name="Ordinal">0-based position in the document.</param>
/// <param name="Page">1-based page where the chunk starts.</param>
/// <param name="Text">The chunk's text.</param>
/// <param name="TokenCount">The length of <see cref="EmbeddingText"/> in the embedding model's tokens (special tokens excluded).</param>
public sealed record TextChunk(int Ordinal, int Page, string Text, int TokenCount)
{
    /// <summary>
    /// The 1-based page where the chunk's own text ends (the page of its last piece; the overlap it repeats from the chunk
    /// before is not its own): after <see cref="Page"/> when the chunk runs on across a page break, else equal to it.
    /// </summary>
    public int LastPage
    {
        get => Math.Max(field, Page);
        init;
    }

    /// <summary>
    /// The headings the chunk's text stands under, outermost first, joined by " &gt; " ("Chief Technology Officer &gt;
    /// Responsibilities"); empty when the document has no heading before it.
    /// </summary>
    public string Section { get; init; } = "";

    /// <summary>
    /// What the embedding model reads: the headings above the place the chunk starts, a blank line, then <see cref="Text"/>
    /// (the text alone when there are none). Within the chunk limit.
    /// </summary>
    public string EmbeddingText
    {
        get => field ?? Text;
        init;
    }
}
