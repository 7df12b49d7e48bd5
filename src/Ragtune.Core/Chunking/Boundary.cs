namespace Ragtune.Core.Chunking;

/// <summary>What lies between two pieces of text, from the worst place to end a chunk to the best.</summary>
internal enum Boundary
{
    /// <summary>Inside a single word longer than a whole chunk (a base64 blob), at a token boundary.</summary>
    InsideWord,

    /// <summary>Between a heading and the text it introduces.</summary>
    AfterHeading,

    /// <summary>Between two words of a sentence.</summary>
    Word,

    /// <summary>After a comma, semicolon or colon inside a sentence.</summary>
    Clause,

    /// <summary>A line break inside a sentence (hard-wrapped text, records without punctuation).</summary>
    WrappedLine,

    /// <summary>Between two sentences of a paragraph.</summary>
    Sentence,

    /// <summary>Between table rows or list items, or two blocks with no blank line between them.</summary>
    Line,

    /// <summary>Between paragraphs, tables and lists (a blank line, a block boundary, a page boundary).</summary>
    Paragraph,

    /// <summary>Before a heading.</summary>
    Section,

    /// <summary>The end of the document.</summary>
    End,
}
