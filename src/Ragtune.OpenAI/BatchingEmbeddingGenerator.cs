using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace Ragtune.OpenAI;

/// <summary>
/// Sends embedding inputs in as few requests as the service allows: up to <see cref="AzureOpenAIEmbeddingOptions.MaxInputsPerRequest"/>
/// inputs and <see cref="AzureOpenAIEmbeddingOptions.MaxTokensPerRequest"/> tokens per request, in order. Transient
/// failures (after the client's bounded retries, which honour Retry-After) come out as
/// <see cref="Core.DependencyUnavailableException"/>.
/// </summary>
internal sealed class BatchingEmbeddingGenerator(
    IEmbeddingGenerator<string, Embedding<float>> inner, Tokenizer tokenizer, int maxInputs, int maxTokens)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private const string Dependency = "embeddings";

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var all = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var batch in Batches(values))
        {
            GeneratedEmbeddings<Embedding<float>> generated;
            try
            {
                generated = await base.GenerateAsync(batch, options, cancellationToken);
            }
            catch (Exception exception) when (DependencyErrors.TryTranslate(exception, Dependency, cancellationToken, out var translated))
            {
                throw translated;
            }

            if (generated.Count != batch.Count)
            {
                throw new InvalidOperationException($"The embedding service returned {generated.Count} embeddings for {batch.Count} inputs.");
            }

            all.AddRange(generated);
            if (generated.Usage is { } usage)
            {
                all.Usage ??= new UsageDetails();
                all.Usage.Add(usage);
            }
        }

        return all;
    }

    /// <summary>Consecutive runs of inputs within the request limits (an input over the token budget goes alone).</summary>
    internal IEnumerable<List<string>> Batches(IEnumerable<string> values)
    {
        var batch = new List<string>();
        var tokens = 0;
        foreach (var value in values)
        {
            var count = tokenizer.CountTokens(value);
            if (batch.Count > 0 && (batch.Count == maxInputs || tokens + count > maxTokens))
            {
                yield return batch;
                batch = [];
                tokens = 0;
            }

            batch.Add(value);
            tokens += count;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
