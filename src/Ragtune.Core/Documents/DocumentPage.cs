namespace Ragtune.Core.Documents;

/// <summary>
/// A block of text extracted from a document, with the 1-based page it comes from. PDF and slide readers give a
/// block per page; other formats have a single page 1, which a reader may deliver as several blocks so that a very
/// large file is never held whole in memory. Blocks end at paragraph boundaries.
/// </summary>
public sealed record DocumentPage(int Number, string Text);
