using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ragtune.Cli.Tests.Http;

/// <summary>One server-sent event: its name and its data, parsed as JSON.</summary>
public sealed record ServerSentEvent(string Name, JsonElement Data)
{
    /// <summary>POSTs to /api/ask asking for a stream and reads every event of it.</summary>
    public static async Task<IReadOnlyList<ServerSentEvent>> AskAsync(HttpClient client, object request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(request) };
        message.Headers.Accept.Clear();
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return await ReadAsync(reader);
    }

    /// <summary>Parses <c>text/event-stream</c>: <c>event:</c> and <c>data:</c> lines, each event ended by a blank line.</summary>
    public static async Task<IReadOnlyList<ServerSentEvent>> ReadAsync(TextReader reader)
    {
        var events = new List<ServerSentEvent>();
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    using var json = JsonDocument.Parse(string.Join('\n', data));
                    events.Add(new ServerSentEvent(name ?? "message", json.RootElement.Clone()));
                }

                (name, data) = (null, []);
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].TrimStart();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line["data:".Length..].TrimStart());
            }
            else
            {
                Assert.StartsWith(":", line, StringComparison.Ordinal);
            }
        }

        Assert.True(name is null && data.Count == 0, "The stream ended inside an event.");
        return events;
    }
}
