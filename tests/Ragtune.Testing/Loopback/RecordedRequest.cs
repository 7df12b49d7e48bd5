using System.Text.Json;

namespace Ragtune.Testing.Loopback;

/// <summary>One request as a <see cref="LoopbackServer"/> received it, for asserting the wire format.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The path, without the query (<c>/openai/deployments/chat/chat/completions</c>).</param>
/// <param name="Query">The query parameters, repeated values joined with a comma.</param>
/// <param name="Headers">The request headers, names case-insensitive, repeated values joined with a comma.</param>
/// <param name="Body">The body as UTF-8 text (empty when there was none).</param>
/// <param name="ReceivedAt">When the request line and headers arrived, by the server's clock.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The body parsed as JSON; fails the test when it is not JSON.</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    /// <summary>A header's value, or null when the request did not send it.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Method} {Path}{(Query.Count == 0 ? "" : "?" + string.Join('&', Query.Select(q => $"{q.Key}={q.Value}")))}";
}
