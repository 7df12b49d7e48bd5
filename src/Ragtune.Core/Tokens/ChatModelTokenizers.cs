using Microsoft.ML.Tokenizers;

namespace Ragtune.Core.Tokens;

/// <summary>
/// The tokenizer of an OpenAI-family chat model, by model or deployment name: o200k_base for gpt-4o, gpt-4.1, gpt-5
/// and the o-series, cl100k_base for gpt-4 and gpt-35-turbo. Fine-tuned names resolve to their base model first, in
/// OpenAI's form (<c>ft:gpt-4.1-mini-...:org::id</c>) and Azure OpenAI's (<c>gpt-4.1-mini-2025-04-14.ft-{jobid}</c>). Models of other families (Llama, Mistral via Ollama) are counted with
/// o200k_base, an estimate that errs on neither side by much for English.
/// </summary>
public static class ChatModelTokenizers
{
    public const string O200kBase = "o200k_base";
    public const string Cl100kBase = "cl100k_base";

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding(O200kBase));
    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding(Cl100kBase));

    /// <summary>The encoding name for a model ("o200k_base" or "cl100k_base").</summary>
    public static string EncodingFor(string model)
    {
        var name = BaseModel(model).ToLowerInvariant();
        var isCl100k = name.StartsWith("gpt-35", StringComparison.Ordinal)
            || name.StartsWith("gpt-3.5", StringComparison.Ordinal)
            || (name.StartsWith("gpt-4", StringComparison.Ordinal) && !name.StartsWith("gpt-4o", StringComparison.Ordinal) && !name.StartsWith("gpt-4.", StringComparison.Ordinal));
        return isCl100k ? Cl100kBase : O200kBase;
    }

    /// <summary>The tokenizer for a model (instances are shared and thread-safe).</summary>
    public static Tokenizer ForModel(string model) => ForEncoding(EncodingFor(model));

    public static Tokenizer ForEncoding(string encoding) => encoding switch
    {
        O200kBase => O200k.Value,
        Cl100kBase => Cl100k.Value,
        _ => throw new ArgumentException($"Unknown encoding '{encoding}'.", nameof(encoding)),
    };

    /// <summary>
    /// The base model of a fine-tuned model name: <c>ft:gpt-4.1-mini-2025-04-14:org::id</c> (OpenAI) and
    /// <c>gpt-4.1-mini-2025-04-14.ft-0123abcd</c> (Azure OpenAI) -> <c>gpt-4.1-mini-2025-04-14</c>.
    /// </summary>
    public static string BaseModel(string model)
    {
        if (model.StartsWith("ft:", StringComparison.OrdinalIgnoreCase))
        {
            return model[3..].Split(':')[0];
        }

        var azureSuffix = model.IndexOf(".ft-", StringComparison.OrdinalIgnoreCase);
        return azureSuffix > 0 ? model[..azureSuffix] : model;
    }
}
