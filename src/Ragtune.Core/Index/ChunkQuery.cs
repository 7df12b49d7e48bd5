namespace Ragtune.Core.Index;

/// <summary>Restricts a search to some documents.</summary>
/// <param name="Access">Which documents the caller may read; applied inside the index query.</param>
/// <param name="SourcePatterns">Glob patterns over source paths (<c>*</c>, <c>**</c>, <c>?</c>); empty means all sources.</param>
public sealed record ChunkFilter(AccessScope Access, IReadOnlyList<string> SourcePatterns)
{
    public static ChunkFilter Public { get; } = new(AccessScope.Public, []);

    public static ChunkFilter Unrestricted { get; } = new(AccessScope.Unrestricted, []);
}

/// <summary>A search over the chunk index.</summary>
/// <param name="Mode">Vector, keyword or hybrid.</param>
/// <param name="Text">The search text (used by keyword and hybrid).</param>
/// <param name="Vector">The unit-length question embedding (used by vector and hybrid, and for similarities).</param>
/// <param name="Top">How many chunks to return at most, best first.</param>
/// <param name="Filter">Which chunks may be returned.</param>
public sealed record ChunkQuery(SearchMode Mode, string Text, ReadOnlyMemory<float> Vector, int Top, ChunkFilter Filter);

/// <summary>A chunk found by a search.</summary>
/// <param name="Chunk">The stored chunk (its <see cref="IndexChunk.Vector"/> may be empty when the index does not return it).</param>
/// <param name="Similarity">The exact cosine similarity between the query vector and the chunk's vector, whatever the mode.</param>
/// <param name="Score">The engine's ranking score in this mode (BM25, RRF, ...); comparable only within one result list.</param>
public sealed record ChunkHit(IndexChunk Chunk, float Similarity, double Score);
