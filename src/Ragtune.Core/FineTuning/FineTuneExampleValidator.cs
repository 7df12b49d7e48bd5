using System.Text.Json;

namespace Ragtune.Core.FineTuning;

/// <summary>The two line formats of OpenAI fine-tuning files.</summary>
public enum ExampleFormat
{
    /// <summary>Not recognisable as either (not JSON, not an object).</summary>
    Unknown,

    /// <summary>Supervised: <c>{"messages":[...]}</c>.</summary>
    Chat,

    /// <summary>Preference (DPO): <c>{"input":{"messages":[...]},"preferred_output":[...],"non_preferred_output":[...]}</c>.</summary>
    Preference,
}

/// <summary>Something wrong with a line: a stable code (the OpenAI notebook's name where it has one) and a sentence.</summary>
public sealed record ValidationProblem(string Code, string Message);

/// <summary>The result of checking one line.</summary>
/// <param name="Format">The line's format.</param>
/// <param name="Tokens">The example's tokens, counted as the fine-tuning service does (0 when it could not be counted).</param>
/// <param name="Problems">Empty for a valid example.</param>
public sealed record ExampleCheck(ExampleFormat Format, int Tokens, IReadOnlyList<ValidationProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Checks one line of a fine-tuning file, the same way for the export (every line before it is written) and for
/// <c>ragtune validate</c>. For chat lines, the format checks of OpenAI's chat fine-tuning data-preparation notebook
/// (an object with a <c>messages</c> list; each message has <c>role</c> and <c>content</c> and no other keys than
/// <c>name</c>, <c>function_call</c> and <c>weight</c>; known roles; content a non-empty string; at least one assistant
/// message), and the last message is the assistant's; <c>weight</c>, where given, is 0 or 1 on an assistant message.
/// For preference lines, the input messages pass the same message checks and end with the user's, each output is
/// exactly one assistant message, and the two outputs differ after normalisation. Both: the tokens, counted with the
/// target model's tokenizer (3 per message, 1 more with a name, 3 to prime the reply, plus every string value of a
/// message; for a preference line the input and its longer output), are within the model's limit.
/// </summary>
public sealed class FineTuneExampleValidator(FineTuneTarget target)
{
    public const string InvalidJson = "invalid_json";
    public const string DataType = "data_type";
    public const string MissingMessagesList = "missing_messages_list";
    public const string MessageMissingKey = "message_missing_key";
    public const string MessageUnrecognizedKey = "message_unrecognized_key";
    public const string UnrecognizedRole = "unrecognized_role";
    public const string MissingContent = "missing_content";
    public const string ExampleMissingAssistantMessage = "example_missing_assistant_message";
    public const string LastMessageNotAssistant = "last_message_not_assistant";
    public const string InvalidWeight = "invalid_weight";
    public const string TooManyTokens = "too_many_tokens";
    public const string DpoMissingInput = "dpo_missing_input";
    public const string DpoInputLastNotUser = "dpo_input_last_not_user";
    public const string DpoOutputNotOneAssistantMessage = "dpo_output_not_one_assistant_message";
    public const string DpoIdenticalOutputs = "dpo_identical_outputs";

    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int TokensToPrimeReply = 3;

    private static readonly string[] KnownRoles = ["system", "user", "assistant", "function"];
    private static readonly string[] KnownMessageKeys = ["role", "content", "name", "function_call", "weight"];
    private static readonly JsonDocumentOptions StrictJson = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    public FineTuneTarget Target => target;

    /// <summary>Checks a line given as UTF-8 (without its line end).</summary>
    public ExampleCheck Check(ReadOnlyMemory<byte> utf8Line) => Check(() => JsonDocument.Parse(utf8Line, StrictJson));

    /// <summary>Checks a line given as text (without its line end).</summary>
    public ExampleCheck Check(string line) => Check(() => JsonDocument.Parse(line, StrictJson));

    private ExampleCheck Check(Func<JsonDocument> parse)
    {
        try
        {
            using var document = parse();
            return Check(document.RootElement);
        }
        catch (JsonException)
        {
            return Invalid(InvalidJson, "The line is not one JSON value.");
        }
    }

    private ExampleCheck Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid(DataType, "The line is not a JSON object.");
        }

        var problems = new List<ValidationProblem>();
        var isPreference = root.TryGetProperty("input", out _) || root.TryGetProperty("preferred_output", out _) || root.TryGetProperty("non_preferred_output", out _);
        var tokens = isPreference ? CheckPreference(root, problems) : CheckChat(root, problems);
        if (tokens > target.MaxTokensPerExample)
        {
            problems.Add(new(TooManyTokens, $"The example has {tokens} tokens; {target.BaseModel} takes at most {target.MaxTokensPerExample}."));
        }

        return new ExampleCheck(isPreference ? ExampleFormat.Preference : ExampleFormat.Chat, tokens, problems);
    }

    private int CheckChat(JsonElement root, List<ValidationProblem> problems)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new(MissingMessagesList, "The example has no \"messages\" list."));
            return 0;
        }

        var roles = CheckMessages(messages, "messages", problems);
        if (!roles.Contains("assistant"))
        {
            problems.Add(new(ExampleMissingAssistantMessage, "The example has no assistant message."));
        }
        else if (roles[^1] != "assistant")
        {
            problems.Add(new(LastMessageNotAssistant, "The last message is not the assistant's."));
        }

        return CountTokens(messages.EnumerateArray()) + TokensToPrimeReply;
    }

    private int CheckPreference(JsonElement root, List<ValidationProblem> problems)
    {
        var tokens = TokensToPrimeReply;
        if (!root.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(DpoMissingInput, "The example has no \"input\" object."));
        }
        else if (!input.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new(MissingMessagesList, "The input has no \"messages\" list."));
        }
        else
        {
            var roles = CheckMessages(messages, "input.messages", problems);
            if (roles.Count == 0 || roles[^1] != "user")
            {
                problems.Add(new(DpoInputLastNotUser, "The last input message is not the user's."));
            }

            tokens += CountTokens(messages.EnumerateArray());
        }

        var preferred = CheckOutput(root, "preferred_output", problems);
        var nonPreferred = CheckOutput(root, "non_preferred_output", problems);
        if (preferred is { } p && nonPreferred is { } n)
        {
            if (TextNormalization.AreEqual(p.Content, n.Content))
            {
                problems.Add(new(DpoIdenticalOutputs, "The preferred and non-preferred outputs are the same after normalisation."));
            }

            tokens += Math.Max(p.Tokens, n.Tokens);
        }

        return tokens;
    }

    /// <summary>Checks each message; returns their roles (an unreadable role as the empty string).</summary>
    private static List<string> CheckMessages(JsonElement messages, string path, List<ValidationProblem> problems)
    {
        var roles = new List<string>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(DataType, $"{at} is not an object."));
                roles.Add(string.Empty);
                continue;
            }

            if (!message.TryGetProperty("role", out var roleElement) || !message.TryGetProperty("content", out _))
            {
                problems.Add(new(MessageMissingKey, $"{at} lacks \"role\" or \"content\"."));
            }

            foreach (var property in message.EnumerateObject())
            {
                if (!KnownMessageKeys.Contains(property.Name, StringComparer.Ordinal))
                {
                    problems.Add(new(MessageUnrecognizedKey, $"{at} has the unrecognised key \"{property.Name}\"."));
                }
            }

            var role = roleElement.ValueKind == JsonValueKind.String ? roleElement.GetString()! : string.Empty;
            roles.Add(role);
            if (roleElement.ValueKind != JsonValueKind.Undefined && !KnownRoles.Contains(role, StringComparer.Ordinal))
            {
                problems.Add(new(UnrecognizedRole, $"{at} has the unrecognised role {roleElement.GetRawText()}."));
            }

            // As the notebook: content must be a string, and not empty unless the message is a function call.
            var hasText = message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String;
            if (!hasText || (content.GetString()!.Length == 0 && !message.TryGetProperty("function_call", out _)))
            {
                problems.Add(new(MissingContent, $"{at} has no text content."));
            }

            if (message.TryGetProperty("weight", out var weight)
                && (role != "assistant" || weight.ValueKind != JsonValueKind.Number || !weight.TryGetInt32(out var w) || w is not (0 or 1)))
            {
                problems.Add(new(InvalidWeight, $"{at} has a weight that is not 0 or 1 on an assistant message."));
            }
        }

        if (index == 0)
        {
            problems.Add(new(MissingMessagesList, $"{path} is empty."));
        }

        return roles;
    }

    private (string Content, int Tokens)? CheckOutput(JsonElement root, string name, List<ValidationProblem> problems)
    {
        if (root.TryGetProperty(name, out var output) && output.ValueKind == JsonValueKind.Array && output.GetArrayLength() == 1)
        {
            var message = output[0];
            if (message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("role", out var role) && role.ValueEquals("assistant")
                && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0
                && message.EnumerateObject().All(p => KnownMessageKeys.Contains(p.Name, StringComparer.Ordinal)))
            {
                return (content.GetString()!, CountTokens(output.EnumerateArray()));
            }
        }

        problems.Add(new(DpoOutputNotOneAssistantMessage, $"\"{name}\" is not a list of exactly one assistant message with text content."));
        return null;
    }

    /// <summary>Tokens of messages as OpenAI's cookbook counts them: 3 per message, the tokens of each string value, 1 more for a name.</summary>
    private int CountTokens(JsonElement.ArrayEnumerator messages)
    {
        var tokens = 0;
        foreach (var message in messages)
        {
            tokens += TokensPerMessage;
            if (message.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var property in message.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    tokens += target.Tokenizer.CountTokens(property.Value.GetString()!);
                    if (property.NameEquals("name"))
                    {
                        tokens += TokensPerName;
                    }
                }
            }
        }

        return tokens;
    }

    private static ExampleCheck Invalid(string code, string message) => new(ExampleFormat.Unknown, 0, [new ValidationProblem(code, message)]);
}
