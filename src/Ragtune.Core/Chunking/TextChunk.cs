namespace Ragtune.Core.Chunking;

/// <summary>A piece of a document small enough for the embedding model.</summary>
/// <param name="Ordinal">0-based position in the document.</param>
/// <param name="Page">1-based page where the chunk starts.</param>
/// <param name="Text">The chunk's text.</param>
/// <param name="TokenCount">Its length in the embedding model's tokens (special tokens excluded).</param>
public sealed record TextChunk(int Ordinal, int Page, string Text, int TokenCount);
