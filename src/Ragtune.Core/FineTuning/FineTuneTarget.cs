using Microsoft.ML.Tokenizers;
using Ragtune.Core.Tokens;

namespace Ragtune.Core.FineTuning;

/// <summary>The model a dataset is for: its tokenizer and the most tokens one training example may have.</summary>
/// <param name="BaseModel">The base model (a fine-tuned name resolves to its base).</param>
/// <param name="Encoding">The tiktoken encoding (<c>o200k_base</c> or <c>cl100k_base</c>).</param>
/// <param name="Tokenizer">The encoding's tokenizer.</param>
/// <param name="MaxTokensPerExample">Examples with more tokens are excluded (the service would cut them from the end).</param>
public sealed record FineTuneTarget(string BaseModel, string Encoding, Tokenizer Tokenizer, int MaxTokensPerExample)
{
    /// <summary>The per-example limit of gpt-4o, gpt-4o-mini and the gpt-4.1 family.</summary>
    public const int O200kModelLimit = 65_536;

    /// <summary>The per-example limit of gpt-35-turbo.</summary>
    public const int Cl100kModelLimit = 16_385;

    public static FineTuneTarget For(string model, int? maxTokensPerExample = null)
    {
        var baseModel = ChatModelTokenizers.BaseModel(model);
        var encoding = ChatModelTokenizers.EncodingFor(baseModel);
        var limit = maxTokensPerExample ?? (encoding == ChatModelTokenizers.Cl100kBase ? Cl100kModelLimit : O200kModelLimit);
        return new FineTuneTarget(baseModel, encoding, ChatModelTokenizers.ForEncoding(encoding), limit);
    }

    public static FineTuneTarget For(FineTuningOptions options) => For(options.BaseModel, options.MaxTokensPerExample);
}
