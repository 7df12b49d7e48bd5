using System.Net.Http.Headers;

namespace Ragtune.Testing.Fuzzing;

/// <summary>
/// One malformed or random request to the HTTP API, as plain data, so that any host's tests can send it: over real
/// HTTP (<see cref="ToHttpRequestMessage"/>), or into an <c>HttpRequest</c> built in memory for an Azure Function.
/// </summary>
/// <param name="Name">What the case tries, unique within a generated set (xunit shows it).</param>
/// <param name="Method">GET, POST, ...</param>
/// <param name="Path">The path and query, starting with <c>/api/</c>.</param>
/// <param name="ContentType">The Content-Type header, or null for none (or no body).</param>
/// <param name="Body">The body bytes, or null for no body.</param>
/// <param name="Headers">Other request headers (Accept, x-ms-client-principal, ...).</param>
public sealed record FuzzRequest(
    string Name,
    string Method,
    string Path,
    string? ContentType,
    byte[]? Body,
    IReadOnlyDictionary<string, string> Headers)
{
    public override string ToString() => Name;

    /// <summary>The request for an <see cref="HttpClient"/> whose base address is the host's.</summary>
    public HttpRequestMessage ToHttpRequestMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Path, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (!Headers.ContainsKey("Accept"))
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        return message;
    }
}
