namespace Ragtune.Testing.Fuzzing;

/// <summary>What a host's answer to a <see cref="FuzzRequest"/> must be, whichever host gave it.</summary>
public static class HttpFuzzVerdict
{
    /// <summary>The paths whose errors OpenAI clients read, in OpenAI's shape rather than Problem Details.</summary>
    private const string OpenAIPrefix = "/api/v1/";

    /// <summary>Text that only an exception or a stack trace would put in a response.</summary>
    private static readonly string[] Internals = ["Exception", "   at ", "System.", "Microsoft.", "Ragtune.", ".cs:line", "SQLite"];

    /// <summary>
    /// Null when the answer is acceptable: not a 5xx; an error with a body is Problem Details (under <c>/api/v1/</c>, OpenAI's
    /// <c>{"error":{"message","type",...}}</c>); no body carries exception text. Otherwise, what is wrong with it.
    /// </summary>
    public static string? Judge(FuzzRequest request, int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            return $"{request.Name}: {status} {body}";
        }

        if (status >= 400 && body.Length > 0 && request.Path.StartsWith(OpenAIPrefix, StringComparison.OrdinalIgnoreCase) && !IsOpenAIError(mediaType, body))
        {
            return $"{request.Name}: {status} as {mediaType ?? "no content type"}, not OpenAI's error shape: {body}";
        }

        if (status >= 400 && body.Length > 0 && !request.Path.StartsWith(OpenAIPrefix, StringComparison.OrdinalIgnoreCase) && mediaType != "application/problem+json")
        {
            return $"{request.Name}: {status} as {mediaType ?? "no content type"}, not Problem Details: {body}";
        }

        var leak = Internals.FirstOrDefault(i => body.Contains(i, StringComparison.Ordinal));
        return leak is null || status < 400 ? null : $"{request.Name}: the body shows internals ('{leak}'): {body}";
    }

    private static bool IsOpenAIError(string? mediaType, string body)
    {
        if (mediaType != "application/json")
        {
            return false;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.TryGetProperty("message", out var message) && message.ValueKind == System.Text.Json.JsonValueKind.String
                && error.TryGetProperty("type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String
                && error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
