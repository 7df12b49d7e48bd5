using Azure.Core;
using Microsoft.Extensions.AI;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Tokens;

namespace Ragtune.OpenAI;

/// <summary>Creates the Azure OpenAI embedding generator and describes its model to Core.</summary>
public static class AzureOpenAIEmbeddings
{
    /// <summary>
    /// An embedding generator for the deployment: bounded retries that honour Retry-After, inputs batched by count and
    /// tokens, transient failures translated for the hosts.
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(AzureOpenAIEmbeddingOptions options, TokenCredential? credential)
    {
        var endpoint = options.Endpoint ?? throw new InvalidOperationException($"{AzureOpenAIEmbeddingOptions.SectionName}:Endpoint is required.");
        var deployment = options.Deployment ?? throw new InvalidOperationException($"{AzureOpenAIEmbeddingOptions.SectionName}:Deployment is required.");
        var retry = new BoundedRetryPolicy(options.MaxRetries, options.MaxRetryDelay);
        var generator = OpenAIChatClients.AzureClient(endpoint, options.ApiKey, options.Timeout, credential, retry)
            .GetEmbeddingClient(deployment)
            .AsIEmbeddingGenerator(options.Dimensions);
        return new BatchingEmbeddingGenerator(generator, Profile(options).Tokenizer, options.MaxInputsPerRequest, options.MaxTokensPerRequest);
    }

    /// <summary>The model's profile: its name and dimensions, cl100k_base tokens (the text-embedding-3 and ada models' encoding), its input limit.</summary>
    public static EmbeddingModelProfile Profile(AzureOpenAIEmbeddingOptions options) =>
        new(options.Model, options.Dimensions, options.MaxInputTokens, ReservedTokens: 0, ChatModelTokenizers.ForEncoding(ChatModelTokenizers.Cl100kBase), options.DefaultMinSimilarity);
}
