using Microsoft.ML.Tokenizers;
using Ragtune.Core.Tokens;

namespace Ragtune.Core.Answering;

/// <summary>What Core needs to know about the chat model behind <c>IChatClient</c>: its name, tokenizer and family.</summary>
/// <param name="ModelId">The model or deployment name, reported with every answer.</param>
/// <param name="Tokenizer">Counts the prompt's tokens for the input budget.</param>
/// <param name="IsGenerative">False for the extractive answerer, which cannot rewrite follow-up questions.</param>
/// <param name="Family">Which request parameters the model takes; the clients leave out what it rejects.</param>
public sealed record ChatModelProfile(string ModelId, Tokenizer Tokenizer, bool IsGenerative, ChatModelFamily Family = ChatModelFamily.Standard)
{
    /// <summary>
    /// A profile for an OpenAI-family (or compatible) model, counted with its tiktoken encoding. The family is the
    /// given one, else read from the name (<see cref="FamilyOf"/>): an Azure deployment's name is free-form and may hide its model.
    /// </summary>
    public static ChatModelProfile ForModel(string modelId, bool isGenerative = true, ChatModelFamily? family = null) =>
        new(modelId, ChatModelTokenizers.ForModel(modelId), isGenerative, family ?? FamilyOf(modelId));

    /// <summary>True for a reasoning model.</summary>
    public bool IsReasoning => Family == ChatModelFamily.Reasoning;

    /// <summary>
    /// The family a model name belongs to: the o-series (<c>o1</c>, <c>o3</c>, <c>o4-mini</c>), <c>codex-mini</c> and the
    /// gpt-5 family (<c>gpt-5</c>, <c>gpt-5-mini</c>, <c>gpt-5.4-mini</c>, but not the non-reasoning <c>gpt-5-chat</c>) are
    /// reasoning models, fine-tuned names by their base model; any other name is a standard model.
    /// </summary>
    public static ChatModelFamily FamilyOf(string modelId)
    {
        var name = ChatModelTokenizers.BaseModel(modelId).ToLowerInvariant();
        var isOSeries = name.Length > 1 && name[0] == 'o' && char.IsAsciiDigit(name[1]);
        var isGpt5 = name.StartsWith("gpt-5", StringComparison.Ordinal) && !name.StartsWith("gpt-5-chat", StringComparison.Ordinal);
        return isOSeries || isGpt5 || name.StartsWith("codex-mini", StringComparison.Ordinal) ? ChatModelFamily.Reasoning : ChatModelFamily.Standard;
    }
}
