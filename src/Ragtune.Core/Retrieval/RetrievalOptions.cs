using System.ComponentModel.DataAnnotations;
using Ragtune.Core.Index;

namespace Ragtune.Core.Retrieval;

/// <summary>How chunks are retrieved for a question (section <c>Ragtune:Retrieval</c>).</summary>
public sealed class RetrievalOptions
{
    public const string SectionName = "Ragtune:Retrieval";

    /// <summary>Chunks given to the chat model when a request does not say (<c>top</c>).</summary>
    [Range(1, 50)]
    public int DefaultTop { get; set; } = 5;

    /// <summary>The search mode when a request does not say.</summary>
    public SearchMode DefaultMode { get; set; } = SearchMode.Hybrid;

    /// <summary>
    /// The cosine similarity a chunk needs to be used. When unset, the embedding model's measured default applies
    /// (0.30 for all-MiniLM-L6-v2; docs/benchmarks.md says how it was chosen).
    /// </summary>
    [Range(-1.0, 1.0)]
    public float? MinSimilarity { get; set; }

    /// <summary>
    /// How many candidates the index returns for each chunk wanted, before the threshold: lower-ranked candidates
    /// that pass the threshold replace higher-ranked ones that do not.
    /// </summary>
    [Range(1, 20)]
    public int CandidatesPerResult { get; set; } = 3;
}
