using Microsoft.ML.Tokenizers;

namespace Ragtune.Core.Embeddings;

/// <summary>
/// What Core needs to know about the embedding model behind <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>:
/// its tokenizer and input limit (chunk sizes are counted in its own tokens, so nothing is silently truncated),
/// its dimensions, and the default similarity threshold measured for it.
/// </summary>
/// <param name="ModelId">The model's name, as reported in health and manifests ("all-MiniLM-L6-v2").</param>
/// <param name="Dimensions">Length of its vectors.</param>
/// <param name="MaxInputTokens">The most tokens the model reads from one input, special tokens included.</param>
/// <param name="ReservedTokens">Tokens the model adds to every input that <see cref="Tokenizer"/>'s <c>CountTokens</c> does not count ([CLS] and [SEP] for BERT models).</param>
/// <param name="Tokenizer">The model's own tokenizer.</param>
/// <param name="DefaultMinSimilarity">The cosine similarity a chunk needs to count as relevant, measured for this model.</param>
public sealed record EmbeddingModelProfile(
    string ModelId,
    int Dimensions,
    int MaxInputTokens,
    int ReservedTokens,
    Tokenizer Tokenizer,
    float DefaultMinSimilarity)
{
    /// <summary>The most tokens of text (as counted by <see cref="Tokenizer"/>) that one input may hold.</summary>
    public int MaxTextTokens => MaxInputTokens - ReservedTokens;
}
