namespace Ragtune.Core.Index;

/// <summary>How chunks are found for a question.</summary>
public enum SearchMode
{
    /// <summary>Nearest neighbours of the question's embedding, by cosine similarity.</summary>
    Vector,

    /// <summary>Full-text search ranked by BM25.</summary>
    Keyword,

    /// <summary>
    /// The vector and keyword lists fused into one ranking (reciprocal rank fusion in Azure AI Search; a normalised score
    /// sum by default on the embedded index).
    /// </summary>
    Hybrid,
}
