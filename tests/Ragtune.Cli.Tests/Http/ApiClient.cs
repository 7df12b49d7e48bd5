using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ragtune.Cli.Tests.Contract;

namespace Ragtune.Cli.Tests.Http;

/// <summary>The calls the tests make to a running server, with the contract's shapes checked on the way.</summary>
public static class ApiClient
{
    /// <summary>POSTs a question to /api/ask and returns the 200 JSON body.</summary>
    public static async Task<JsonElement> AskAsync(this HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/ask", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>GETs a path and returns the 200 JSON body.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>GET /api/documents, its shape checked, by source.</summary>
    public static async Task<IReadOnlyDictionary<string, JsonElement>> ListDocumentsAsync(this HttpClient client) =>
        ApiShapes.AssertDocuments(await client.GetJsonAsync("/api/documents"))
            .ToDictionary(d => d.GetProperty("source").GetString()!, StringComparer.Ordinal);
}
