using Ragtune.Core.Index;

namespace Ragtune.Core.Retrieval;

/// <summary>A search for the chunks that answer a query.</summary>
/// <param name="Query">The search text (the question, or its standalone rewrite).</param>
/// <param name="Mode">Vector, keyword or hybrid.</param>
/// <param name="Top">At most this many chunks.</param>
/// <param name="MinSimilarity">Keep only chunks whose cosine similarity with the query is at least this (null: the configured default).</param>
/// <param name="Filter">Access and source filters, applied inside the index.</param>
public sealed record RetrievalRequest(string Query, SearchMode Mode, int Top, float? MinSimilarity, ChunkFilter Filter);

/// <summary>The chunks that passed the threshold, best first, and what it took.</summary>
/// <param name="Chunks">At most <see cref="RetrievalRequest.Top"/> hits whose similarity passed <paramref name="MinSimilarity"/>.</param>
/// <param name="MinSimilarity">The threshold that was applied.</param>
/// <param name="QueryVector">The query's embedding.</param>
/// <param name="EmbeddingTime">Time to embed the query.</param>
/// <param name="SearchTime">Time to search the index.</param>
public sealed record RetrievalResult(
    IReadOnlyList<ChunkHit> Chunks,
    float MinSimilarity,
    ReadOnlyMemory<float> QueryVector,
    TimeSpan EmbeddingTime,
    TimeSpan SearchTime);
