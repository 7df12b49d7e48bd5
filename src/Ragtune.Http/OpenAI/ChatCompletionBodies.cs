using System.Text.Json.Serialization;
using Ragtune.Core.Api;

namespace Ragtune.Http.OpenAI;

/// <summary>A <c>chat.completion</c>: <c>id</c> is the answer's id, and <see cref="Ragtune"/> carries what OpenAI's shape has no place for.</summary>
public sealed record ChatCompletion(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<ChatCompletionChoice> Choices,
    ChatCompletionUsage Usage,
    RagtuneExtension Ragtune)
{
    [JsonPropertyName("object")]
    public string Kind { get; init; } = "chat.completion";
}

/// <summary>The one choice of a <see cref="ChatCompletion"/>.</summary>
public sealed record ChatCompletionChoice(
    int Index,
    ChatCompletionAnswer Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Logprobs { get; init; }
}

/// <summary>The assistant's message: the answer's text, with its [n] citation markers.</summary>
public sealed record ChatCompletionAnswer(string Content)
{
    public string Role { get; init; } = "assistant";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Refusal { get; init; }
}

/// <summary>Tokens in and out of the chat model (zero when the answer was not grounded and no model was called).</summary>
public sealed record ChatCompletionUsage(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens)
{
    [JsonPropertyName("total_tokens")]
    public long TotalTokens => PromptTokens + CompletionTokens;

    public static ChatCompletionUsage Of(TokenUsage usage) => new(usage?.InputTokens ?? 0, usage?.OutputTokens ?? 0);
}

/// <summary>
/// The <c>ragtune</c> extension of a completion and of a stream's finishing chunk: the id to rate the answer with
/// (POST /api/feedback), whether it is grounded in the documents, and its citations as POST /api/ask gives them.
/// </summary>
public sealed record RagtuneExtension(string AnswerId, bool Grounded, IReadOnlyList<Citation> Citations)
{
    public static RagtuneExtension Of(AskResponse answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new(answer.AnswerId, answer.Grounded, answer.Citations);
    }
}

/// <summary>A <c>chat.completion.chunk</c> of a streamed completion.</summary>
public sealed record ChatCompletionChunk(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<ChatCompletionChunkChoice> Choices)
{
    [JsonPropertyName("object")]
    public string Kind { get; init; } = "chat.completion.chunk";

    /// <summary>With <c>stream_options.include_usage</c>, on the last chunk, which has no choices.</summary>
    public ChatCompletionUsage? Usage { get; init; }

    /// <summary>On the chunk that finishes the choice.</summary>
    public RagtuneExtension? Ragtune { get; init; }
}

/// <summary>A choice of a <see cref="ChatCompletionChunk"/>: the role first, then the text, then the finish reason.</summary>
public sealed record ChatCompletionChunkChoice(
    int Index,
    ChatCompletionDelta Delta,
    [property: JsonPropertyName("finish_reason"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? Logprobs { get; init; }
}

/// <summary>What a chunk adds to the message.</summary>
public sealed record ChatCompletionDelta(string? Role = null, string? Content = null);

/// <summary>GET /api/v1/models: OpenAI's list of models.</summary>
public sealed record ModelList(IReadOnlyList<ModelEntry> Data)
{
    [JsonPropertyName("object")]
    public string Kind { get; init; } = "list";
}

/// <summary>A model of <see cref="ModelList"/>.</summary>
public sealed record ModelEntry(
    string Id,
    long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy)
{
    [JsonPropertyName("object")]
    public string Kind { get; init; } = "model";
}
