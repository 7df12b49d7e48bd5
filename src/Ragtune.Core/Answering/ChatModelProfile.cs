using Microsoft.ML.Tokenizers;
using Ragtune.Core.Tokens;

namespace Ragtune.Core.Answering;

/// <summary>What Core needs to know about the chat model behind <c>IChatClient</c>: its name and tokenizer.</summary>
/// <param name="ModelId">The model or deployment name, reported with every answer.</param>
/// <param name="Tokenizer">Counts the prompt's tokens for the input budget.</param>
/// <param name="IsGenerative">False for the extractive answerer, which cannot rewrite follow-up questions.</param>
public sealed record ChatModelProfile(string ModelId, Tokenizer Tokenizer, bool IsGenerative)
{
    /// <summary>A profile for an OpenAI-family (or compatible) model, counted with its tiktoken encoding.</summary>
    public static ChatModelProfile ForModel(string modelId, bool isGenerative = true) =>
        new(modelId, ChatModelTokenizers.ForModel(modelId), isGenerative);
}
