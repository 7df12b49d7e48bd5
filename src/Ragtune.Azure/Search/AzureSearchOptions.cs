using System.ComponentModel.DataAnnotations;

namespace Ragtune.Azure.Search;

/// <summary>The Azure AI Search index of chunks (section <c>Ragtune:Search</c>).</summary>
public sealed class AzureSearchOptions
{
    public const string SectionName = "Ragtune:Search";

    /// <summary>The service, <c>https://NAME.search.windows.net</c>.</summary>
    [Required(ErrorMessage = "Ragtune:Search:Endpoint (the Azure AI Search service URL) is required.")]
    public Uri? Endpoint { get; set; }

    /// <summary>The index, created or updated at start.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Ragtune:Search:IndexName is required.")]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,127}$", ErrorMessage = "Ragtune:Search:IndexName must be lower-case letters, digits and dashes.")]
    public string IndexName { get; set; } = "ragtune-chunks";

    /// <summary>An admin key; leave empty to use Microsoft Entra ID (the app's managed identity).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The semantic configuration the index defines, which <see cref="SemanticRanker"/> uses.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SemanticConfiguration { get; set; } = "ragtune-semantic";

    /// <summary>
    /// Keyword and hybrid searches ask Azure AI Search's semantic ranker to rerank their results (a paid feature of the
    /// Basic tier and above, enabled on the service). Chunks come in its order; the similarity threshold and the
    /// citations keep the true cosine similarity.
    /// </summary>
    public bool SemanticRanker { get; set; }

    /// <summary>HNSW <c>m</c>: links per node (4..10).</summary>
    [Range(4, 10)]
    public int HnswM { get; set; } = 4;

    /// <summary>HNSW <c>efConstruction</c> (100..1000).</summary>
    [Range(100, 1000)]
    public int HnswEfConstruction { get; set; } = 400;

    /// <summary>HNSW <c>efSearch</c> (100..1000).</summary>
    [Range(100, 1000)]
    public int HnswEfSearch { get; set; } = 500;

    /// <summary>Documents per index request; the service takes at most 1,000.</summary>
    [Range(1, 1000)]
    public int MaxBatchDocuments { get; set; } = 1000;

    /// <summary>Bytes of JSON per index request; the service takes at most 16 MB, and the margin leaves room for the envelope.</summary>
    [Range(64 * 1024, 16 * 1000 * 1000)]
    public int MaxBatchBytes { get; set; } = 15 * 1000 * 1000;

    /// <summary>Retries of a throttled or failed request (429, 503), honouring Retry-After.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;
}
