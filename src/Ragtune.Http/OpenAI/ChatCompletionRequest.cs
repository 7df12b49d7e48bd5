using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;

namespace Ragtune.Http.OpenAI;

/// <summary>
/// The body of <c>POST /api/v1/chat/completions</c> (OpenAI's chat completions request), as far as Ragtune reads it. The
/// parameters it cannot honour are refused by name (<see cref="Read"/>); the others (<c>model</c>, <c>max_tokens</c>,
/// <c>temperature</c>, <c>user</c>, ...) are accepted and left to the server's settings, as OpenAI ignores unknown ones.
/// </summary>
public sealed record ChatCompletionRequest(
    string? Model,
    IReadOnlyList<ChatCompletionMessage?>? Messages,
    bool? Stream = null,
    [property: JsonPropertyName("stream_options")] ChatCompletionStreamOptions? StreamOptions = null,
    int? N = null,
    bool? Logprobs = null,
    [property: JsonPropertyName("top_logprobs")] int? TopLogprobs = null,
    JsonElement? Tools = null,
    [property: JsonPropertyName("tool_choice")] JsonElement? ToolChoice = null,
    JsonElement? Functions = null,
    [property: JsonPropertyName("function_call")] JsonElement? FunctionCall = null,
    [property: JsonPropertyName("response_format")] JsonElement? ResponseFormat = null,
    JsonElement? Audio = null,
    IReadOnlyList<string?>? Modalities = null)
{
    private const string Unsupported = "unsupported-parameter";

    /// <summary>What the request asks: the conversation, and whether to stream (with usage at the end).</summary>
    public ApiResult<ChatCompletionCall> Read(ApiLimitsOptions limits)
    {
        if (Refused() is { } refused)
        {
            return refused;
        }

        var turns = new List<ConversationTurn>();
        for (var i = 0; i < (Messages?.Count ?? 0); i++)
        {
            var turn = Turn(Messages![i], $"messages[{i}]");
            if (!turn.Succeeded)
            {
                return turn.Problem;
            }

            turns.Add(turn.Value);
        }

        var conversation = Conversation.From(turns, "messages", limits);
        return conversation.Succeeded
            ? new ChatCompletionCall(conversation.Value, Stream == true, Stream == true && StreamOptions?.IncludeUsage == true)
            : conversation.Problem;
    }

    /// <summary>The first parameter asking for what Ragtune does not do: tools, several choices, log probabilities, structured or audio output.</summary>
    private ApiProblem? Refused()
    {
        if (Tools is { ValueKind: not JsonValueKind.Null } tools && (tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() > 0))
        {
            return Refuse("tools", "Ragtune answers from its documents and calls no tools: send no 'tools'.");
        }

        if (ToolChoice is { ValueKind: not JsonValueKind.Null } choice && !IsString(choice, "none", "auto"))
        {
            return Refuse("tool_choice", "Ragtune calls no tools: send no 'tool_choice'.");
        }

        if (Functions is { ValueKind: not JsonValueKind.Null } functions && (functions.ValueKind != JsonValueKind.Array || functions.GetArrayLength() > 0))
        {
            return Refuse("functions", "Ragtune answers from its documents and calls no functions: send no 'functions'.");
        }

        if (FunctionCall is { ValueKind: not JsonValueKind.Null } call && !IsString(call, "none", "auto"))
        {
            return Refuse("function_call", "Ragtune calls no functions: send no 'function_call'.");
        }

        if (N is { } n && n != 1)
        {
            return Refuse("n", "Ragtune gives one answer per question: 'n' must be 1.");
        }

        if (Logprobs == true)
        {
            return Refuse("logprobs", "Ragtune does not report log probabilities: 'logprobs' must be false.");
        }

        if (TopLogprobs is > 0)
        {
            return Refuse("top_logprobs", "Ragtune does not report log probabilities: send no 'top_logprobs'.");
        }

        if (ResponseFormat is { ValueKind: not JsonValueKind.Null } format
            && !(format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var type) && IsString(type, "text")))
        {
            return Refuse("response_format", "Ragtune answers in text with [n] citations: 'response_format' may only be {\"type\":\"text\"}.");
        }

        if (Audio is { ValueKind: not JsonValueKind.Null })
        {
            return Refuse("audio", "Ragtune answers in text only: send no 'audio'.");
        }

        return Modalities?.Any(m => m != "text") == true
            ? Refuse("modalities", "Ragtune answers in text only: 'modalities' may only be [\"text\"].")
            : null;
    }

    private static ApiResult<ConversationTurn> Turn(ChatCompletionMessage? message, string path)
    {
        if (message is null)
        {
            return Conversation.Invalid(path, "A message must be an object with a role and content.");
        }

        var role = message.Role switch
        {
            "user" => ChatTurn.User,
            "assistant" => ChatTurn.Assistant,
            "system" or "developer" => ConversationTurn.System,
            "tool" or "function" => null,
            _ => string.Empty,
        };
        if (role is null || message.ToolCalls is { ValueKind: JsonValueKind.Array } calls && calls.GetArrayLength() > 0 || message.FunctionCall is { ValueKind: JsonValueKind.Object })
        {
            return Refuse(role is null ? $"{path}.role" : $"{path}.tool_calls", "Ragtune calls no tools, so a conversation holds no tool calls or results.");
        }

        if (role.Length == 0)
        {
            return Conversation.Invalid($"{path}.role", "The role must be 'system', 'developer', 'user' or 'assistant'.");
        }

        return message.Content switch
        {
            null or { ValueKind: JsonValueKind.Null } => new ConversationTurn(role, string.Empty, $"{path}.content"),
            { ValueKind: JsonValueKind.String } text => new ConversationTurn(role, text.GetString()!, $"{path}.content"),
            { ValueKind: JsonValueKind.Array } parts => Parts(role, parts, $"{path}.content"),
            _ => Conversation.Invalid($"{path}.content", "The content must be a string or an array of content parts."),
        };
    }

    /// <summary>Text parts joined; a part of another kind (an image, audio, a file) is refused: Ragtune answers from text.</summary>
    private static ApiResult<ConversationTurn> Parts(string role, JsonElement parts, string path)
    {
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Conversation.Invalid(partPath, "A content part must be an object with a type.");
            }

            if (IsString(type, "text") && part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
            {
                text.Append(text.Length > 0 ? "\n" : string.Empty).Append(value.GetString());
            }
            else if (!IsString(type, "refusal"))
            {
                return Refuse(partPath, $"Ragtune reads text only: a content part of type '{type.GetString()}' cannot be answered.");
            }
        }

        return new ConversationTurn(role, text.ToString(), path);
    }

    private static bool IsString(JsonElement value, params string[] allowed) =>
        value.ValueKind == JsonValueKind.String && allowed.Contains(value.GetString(), StringComparer.Ordinal);

    private static ApiProblem Refuse(string param, string detail) =>
        new(400, Unsupported, "The request asks for something Ragtune does not do.", detail)
        {
            Errors = new Dictionary<string, string[]>(StringComparer.Ordinal) { [param] = [detail] },
        };
}

/// <summary>A message of <see cref="ChatCompletionRequest.Messages"/>: <c>content</c> is a string or an array of content parts.</summary>
public sealed record ChatCompletionMessage(
    string? Role,
    JsonElement? Content,
    [property: JsonPropertyName("tool_calls")] JsonElement? ToolCalls = null,
    [property: JsonPropertyName("function_call")] JsonElement? FunctionCall = null);

/// <summary><c>stream_options</c>: <c>include_usage</c> adds a last chunk with the usage.</summary>
public sealed record ChatCompletionStreamOptions([property: JsonPropertyName("include_usage")] bool? IncludeUsage);

/// <summary>What a chat completions request asks, read: the conversation, whether to stream, and whether the stream ends with usage.</summary>
public sealed record ChatCompletionCall(Conversation Conversation, bool Stream, bool IncludeUsage);
