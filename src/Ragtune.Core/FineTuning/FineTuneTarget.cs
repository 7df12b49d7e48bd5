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
    /// <summary>The per-example limit of gpt-4o, gpt-4o-mini, gpt-4.1 and gpt-4.1-mini (and of other o200k_base models).</summary>
    public const int O200kModelLimit = 65_536;

    /// <summary>The per-example limit of gpt-35-turbo (and of other cl100k_base models).</summary>
    public const int Cl100kModelLimit = 16_385;

    /// <summary>The per-example limit of gpt-4.1-nano ("training example context length" in Azure OpenAI's table).</summary>
    public const int Gpt41NanoLimit = 32_768;

    public static FineTuneTarget For(string model, int? maxTokensPerExample = null)
    {
        var baseModel = ChatModelTokenizers.BaseModel(model);
        var encoding = ChatModelTokenizers.EncodingFor(baseModel);
        var limit = maxTokensPerExample ?? DefaultLimit(baseModel, encoding);
        return new FineTuneTarget(baseModel, encoding, ChatModelTokenizers.ForEncoding(encoding), limit);
    }

    public static FineTuneTarget For(FineTuningOptions options) => For(options.BaseModel, options.MaxTokensPerExample);

    /// <summary>A model's own limit where it differs from its encoding's, else the encoding's.</summary>
    private static int DefaultLimit(string baseModel, string encoding) =>
        baseModel.StartsWith("gpt-4.1-nano", StringComparison.OrdinalIgnoreCase) ? Gpt41NanoLimit
        : encoding == ChatModelTokenizers.Cl100kBase ? Cl100kModelLimit
        : O200kModelLimit;
}
