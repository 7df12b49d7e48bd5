namespace Ragtune.Core.Index;

/// <summary>How chunks are found for a question.</summary>
public enum SearchMode
{
    /// <summary>Nearest neighbours of the question's embedding, by cosine similarity.</summary>
    Vector,

    /// <summary>Full-text search ranked by BM25.</summary>
    Keyword,

    /// <summary>Reciprocal rank fusion of the vector and keyword lists (as Azure AI Search does).</summary>
    Hybrid,
}
