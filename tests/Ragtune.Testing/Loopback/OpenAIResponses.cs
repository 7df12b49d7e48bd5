using System.Globalization;
using System.Text.Json;

namespace Ragtune.Testing.Loopback;

/// <summary>
/// Answers as the OpenAI chat completions API (and Azure OpenAI, which speaks the same format) gives them:
/// <c>chat.completion</c> bodies, <c>chat.completion.chunk</c> server-sent events ending with <c>data: [DONE]</c>,
/// and <c>{"error": {...}}</c> bodies.
/// </summary>
public static class OpenAIResponses
{
    private const long Created = 1_767_225_600;

    private static readonly JsonSerializerOptions Wire = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A non-streamed answer with its usage.</summary>
    public static LoopbackResponse ChatCompletion(string text, int promptTokens, int completionTokens, string model = "gpt-4o-mini") =>
        LoopbackResponse.Json(JsonSerializer.Serialize(
            new
            {
                Id = "chatcmpl-loopback",
                Object = "chat.completion",
                Created,
                Model = model,
                Choices = new[] { new { Index = 0, Message = new { Role = "assistant", Content = text }, FinishReason = "stop" } },
                Usage = Usage(promptTokens, completionTokens),
            },
            Wire));

    /// <summary>
    /// A streamed answer: a first chunk with the role, one chunk per piece of text, a chunk with the finish reason, a
    /// chunk with no choices and the usage (as with <c>stream_options.include_usage</c>), then <c>[DONE]</c>.
    /// </summary>
    public static LoopbackResponse ChatCompletionStream(IEnumerable<string> pieces, int promptTokens, int completionTokens, string model = "gpt-4o-mini")
    {
        var events = new List<string> { Chunk(model, new { Role = "assistant", Content = "" }, finishReason: null) };
        events.AddRange(pieces.Select(piece => Chunk(model, new { Content = piece }, finishReason: null)));
        events.Add(Chunk(model, new { }, finishReason: "stop"));
        events.Add(JsonSerializer.Serialize(
            new { Id = "chatcmpl-loopback", Object = "chat.completion.chunk", Created, Model = model, Choices = Array.Empty<object>(), Usage = Usage(promptTokens, completionTokens) },
            Wire));
        events.Add("[DONE]");
        return LoopbackResponse.EventStream(events);
    }

    /// <summary>
    /// The start of a streamed answer, these pieces and nothing more (no finish reason, usage or <c>[DONE]</c>): end it
    /// with <see cref="LoopbackResponse.ThenDropConnection"/> or <see cref="LoopbackResponse.ThenHang"/>.
    /// </summary>
    public static LoopbackResponse PartialChatCompletionStream(IEnumerable<string> pieces, string model = "gpt-4o-mini") =>
        LoopbackResponse.EventStream(
            [Chunk(model, new { Role = "assistant", Content = "" }, finishReason: null), .. pieces.Select(piece => Chunk(model, new { Content = piece }, finishReason: null))]);

    /// <summary>An error body with the given status, as the service sends it.</summary>
    public static LoopbackResponse Error(int status, string code, string message) =>
        LoopbackResponse.Json(JsonSerializer.Serialize(new { Error = new { Message = message, Type = code, Code = code, Param = (string?)null } }, Wire), status);

    /// <summary>429 with <c>Retry-After</c> in whole seconds.</summary>
    public static LoopbackResponse Throttled(TimeSpan retryAfter) =>
        Error(429, "rate_limit_exceeded", "Rate limit reached. Please retry later.")
            .WithHeader("Retry-After", ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>503 with <c>retry-after-ms</c>, so that retries under test wait milliseconds rather than the default back-off.</summary>
    public static LoopbackResponse Unavailable(TimeSpan retryAfter) =>
        Error(503, "service_unavailable", "The service is temporarily unavailable.")
            .WithHeader("retry-after-ms", ((int)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));

    private static string Chunk(string model, object delta, string? finishReason) =>
        JsonSerializer.Serialize(
            new
            {
                Id = "chatcmpl-loopback",
                Object = "chat.completion.chunk",
                Created,
                Model = model,
                Choices = new[] { new { Index = 0, Delta = delta, FinishReason = finishReason } },
            },
            Wire);

    private static object Usage(int promptTokens, int completionTokens) =>
        new { PromptTokens = promptTokens, CompletionTokens = completionTokens, TotalTokens = promptTokens + completionTokens };
}
