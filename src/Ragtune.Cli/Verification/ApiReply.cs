using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Ragtune.Cli.Verification;

/// <summary>A response as a check judges it: status, media type, body, and the body as JSON when it is JSON.</summary>
internal sealed class ApiReply
{
    public const string ProblemMediaType = "application/problem+json";

    private ApiReply(HttpResponseMessage response, string body)
    {
        Status = (int)response.StatusCode;
        MediaType = response.Content.Headers.ContentType?.MediaType;
        Body = body;
        Json = Parse(MediaType, body);
        AsksForBearer = response.Headers.WwwAuthenticate.Any(challenge => string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase));
        SentToken = response.RequestMessage?.Headers.Authorization is not null;
        SentKey = response.RequestMessage?.Headers.Contains(DeploymentClient.FunctionKeyHeader) == true;
    }

    public int Status { get; }

    public string? MediaType { get; }

    public string Body { get; }

    /// <summary>The body parsed, when its media type is JSON and it parses.</summary>
    public JsonElement? Json { get; }

    /// <summary>True when the response says <c>WWW-Authenticate: Bearer</c>.</summary>
    public bool AsksForBearer { get; }

    /// <summary>True when the request carried the bearer token.</summary>
    public bool SentToken { get; }

    /// <summary>True when the request carried the function key.</summary>
    public bool SentKey { get; }

    /// <summary>True for <c>application/problem+json</c> whose body is an object.</summary>
    public bool IsProblem => MediaType == ProblemMediaType && Json is { ValueKind: JsonValueKind.Object };

    /// <summary>The Problem Details <c>code</c>, when the body is a problem that has one.</summary>
    public string? ProblemCode => IsProblem ? Json!.Value.StringOrNull("code") : null;

    /// <summary>Reads a whole response.</summary>
    public static async Task<ApiReply> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default) =>
        new(response, await response.Content.ReadAsStringAsync(cancellationToken));

    /// <summary>A response whose body is read by someone else (an event stream).</summary>
    public static ApiReply Headers(HttpResponseMessage response) => new(response, string.Empty);

    /// <summary>A check's result about this response: its status and Problem Details code go with it.</summary>
    public CheckResult Result(string check, CheckOutcome outcome, string detail) =>
        new(check, outcome, detail) { Status = Status, Code = ProblemCode };

    /// <summary>A failure for a status the check did not expect, with the problem's own detail and, for 401, what to pass.</summary>
    public CheckResult Unexpected(string check, string expected)
    {
        var detail = IsProblem && Json!.Value.StringOrNull("detail") is { Length: > 0 } said ? $"expected {expected}; the server said: {said}" : $"expected {expected}";
        return Result(check, CheckOutcome.Fail, Status == 401 ? $"{detail} ({CredentialHint})" : detail);
    }

    /// <summary>What a 401 says about the credentials sent.</summary>
    private string CredentialHint => (AsksForBearer, SentToken, SentKey) switch
    {
        (true, true, _) => "the server did not accept the bearer token",
        (true, false, _) => "the server asks for a bearer token: pass --token",
        (false, _, true) => "the server did not accept the function key",
        (false, _, false) => "the server asks for credentials: pass --key with a function key",
    };

    /// <summary>The status as people read it: <c>404 Not Found</c>.</summary>
    public static string Describe(int status) => $"{status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();

    private static JsonElement? Parse(string? mediaType, string body)
    {
        if (mediaType is null || !(mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal)))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Reading the fields of a response body without trusting its shape.</summary>
internal static class JsonFields
{
    /// <summary>The string property, or null when it is missing or not a string (or the element is not an object).</summary>
    public static string? StringOrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The property of this kind, or null.</summary>
    public static JsonElement? OfKind(this JsonElement element, string name, JsonValueKind kind) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    /// <summary>The boolean property, or null.</summary>
    public static bool? BooleanOrNull(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
