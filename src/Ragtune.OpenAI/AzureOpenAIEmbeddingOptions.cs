using System.ComponentModel.DataAnnotations;

namespace Ragtune.OpenAI;

/// <summary>The Azure OpenAI embedding deployment (section <c>Ragtune:Embeddings</c>).</summary>
public sealed class AzureOpenAIEmbeddingOptions
{
    public const string SectionName = "Ragtune:Embeddings";

    /// <summary>The Azure OpenAI resource, <c>https://NAME.openai.azure.com</c>.</summary>
    [Required(ErrorMessage = "Ragtune:Embeddings:Endpoint (the Azure OpenAI resource URL) is required.")]
    public Uri? Endpoint { get; set; }

    /// <summary>The embedding deployment's name.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Ragtune:Embeddings:Deployment (the embedding deployment name) is required.")]
    public string? Deployment { get; set; }

    /// <summary>The model behind the deployment, as reported in health and manifests; its tokenizer counts chunk tokens.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "text-embedding-3-small";

    /// <summary>Vector length: the model's own (1536 for text-embedding-3-small), or fewer for text-embedding-3 models.</summary>
    [Range(2, 4096)]
    public int Dimensions { get; set; } = 1536;

    /// <summary>An API key; leave empty to use Microsoft Entra ID (the app's managed identity).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The most tokens the model reads from one input (8,191 for the text-embedding-3 models).</summary>
    [Range(16, 32_768)]
    public int MaxInputTokens { get; set; } = 8191;

    /// <summary>Inputs per request; the service takes up to 2,048.</summary>
    [Range(1, 2048)]
    public int MaxInputsPerRequest { get; set; } = 2048;

    /// <summary>Tokens over all inputs of one request; the service takes up to 300,000.</summary>
    [Range(1024, 300_000)]
    public int MaxTokensPerRequest { get; set; } = 250_000;

    /// <summary>The cosine similarity a chunk needs to count as relevant, for this model's vectors.</summary>
    [Range(-1.0, 1.0)]
    public float DefaultMinSimilarity { get; set; } = 0.3f;

    /// <summary>How long one attempt may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a throttled or failed request (429, 408, 5xx, connection errors), honouring Retry-After.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The longest Retry-After waited for; a longer one fails at once (ingestion is retried by the host).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
