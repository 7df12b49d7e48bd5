using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ragtune.Cli.Tests.Contract;
using Ragtune.Embedded.Files;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// The dataset endpoints of <c>ragtune serve</c> (not part of the shared HTTP API): GET /api/datasets,
/// POST /api/datasets/export and GET /api/datasets/latest/manifest.json, over a server of their own.
/// </summary>
public sealed class DatasetsEndpointsTests(SamplesServerFixture fixture) : IClassFixture<SamplesServerFixture>
{
    private static readonly string[] DatasetsFields = ["ratedAnswers", "minTrainingExamples", "newRatingsSinceLastExport", "ready", "excluded"];

    [Fact]
    public async Task Datasets_CountWhatAnExportNowWouldHold_ExportNowWritesItAndServesItsManifest()
    {
        var client = fixture.Client;
        var before = await client.GetJsonAsync("/api/datasets");
        ApiShapes.HasExactly(before, DatasetsFields);
        Assert.Equal((0, SamplesServerFixture.MinTrainingExamples, false), (before.GetProperty("ratedAnswers").GetInt32(), before.GetProperty("minTrainingExamples").GetInt32(), before.GetProperty("newRatingsSinceLastExport").GetBoolean()));
        Assert.Equal((0, 0), Ready(before, "sft"));
        Assert.Equal("nothingRated", (await ExportAsync(client)).GetProperty("outcome").GetString());
        using (var missing = await client.GetAsync(new Uri("/api/datasets/latest/manifest.json", UriKind.Relative)))
        {
            Assert.Equal("not-found", (await ApiShapes.AssertProblemAsync(missing, HttpStatusCode.NotFound)).GetProperty("code").GetString());
        }

        var up = await client.AskAsync(new { question = "How long is the battery warranty?" });
        var corrected = await client.AskAsync(new { question = "What voids the warranty?" });
        var uncorrected = await client.AskAsync(new { question = "How do I make a warranty claim?" });
        await RateAsync(client, new { answerId = up.GetProperty("answerId").GetString(), rating = "up" });
        await RateAsync(client, new { answerId = corrected.GetProperty("answerId").GetString(), rating = "down", correction = "Opening the battery case or the motor housing [1]." });
        await RateAsync(client, new { answerId = uncorrected.GetProperty("answerId").GetString(), rating = "down" });

        var ready = await client.GetJsonAsync("/api/datasets");
        Assert.Equal(3, ready.GetProperty("ratedAnswers").GetInt32());
        Assert.True(ready.GetProperty("newRatingsSinceLastExport").GetBoolean());
        Assert.Equal((2, 0), Ready(ready, "sft"));
        Assert.Equal("complete", ready.GetProperty("ready").GetProperty("sft").GetProperty("status").GetString());
        Assert.Equal((1, 0), Ready(ready, "dpo"));
        Assert.Equal("insufficient", ready.GetProperty("ready").GetProperty("dpo").GetProperty("status").GetString());
        Assert.Equal(1, ready.GetProperty("excluded").GetProperty("total").GetInt32());
        Assert.Equal(1, ready.GetProperty("excluded").GetProperty("reasons").GetProperty("down_without_correction").GetInt32());

        var datasetsFolder = Directory.CreateDirectory(Path.Combine(fixture.DataDirectory, "datasets")).FullName;
        await using (new FileStream(Path.Combine(datasetsFolder, DatasetFolderStore.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            // Another export (here: this test) holds the folder.
            using var busy = await client.PostAsync(new Uri("/api/datasets/export", UriKind.Relative), content: null);
            Assert.Equal("export-busy", (await ApiShapes.AssertProblemAsync(busy, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }

        var exported = await ExportAsync(client);
        Assert.Equal("exported", exported.GetProperty("outcome").GetString());
        var export = exported.GetProperty("export");
        Assert.Equal(ready.GetProperty("ready").GetRawText(), export.GetProperty("datasets").GetRawText());
        Assert.Equal("/api/datasets/latest/manifest.json", export.GetProperty("manifestUrl").GetString());
        Assert.True(File.Exists(Path.Combine(datasetsFolder, export.GetProperty("name").GetString()!, "manifest.json")));
        var manifest = await client.GetJsonAsync("/api/datasets/latest/manifest.json");
        Assert.Equal(export.GetProperty("exportId").GetString(), manifest.GetProperty("exportId").GetString());
        Assert.Equal(3, manifest.GetProperty("ratedInteractions").GetInt32());

        var after = await client.GetJsonAsync("/api/datasets");
        Assert.False(after.GetProperty("newRatingsSinceLastExport").GetBoolean());
        Assert.Equal(export.GetProperty("exportId").GetString(), after.GetProperty("lastExport").GetProperty("exportId").GetString());
        Assert.Equal(export.GetProperty("createdAt").GetString(), after.GetProperty("lastExport").GetProperty("createdAt").GetString());
        var again = await ExportAsync(client);
        Assert.Equal("upToDate", again.GetProperty("outcome").GetString());
        Assert.Equal(export.GetProperty("exportId").GetString(), again.GetProperty("export").GetProperty("exportId").GetString());
    }

    [Fact]
    public async Task ChatPage_IsServedAtTheRoot_WithEverythingItLoadsFromThisOrigin()
    {
        using var page = await fixture.Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        foreach (var (path, type) in new[] { ("/chat.js", "text/javascript"), ("/chat.css", "text/css"), ("/icon.svg", "image/svg+xml") })
        {
            Assert.Contains($"\"{path[1..]}\"", html, StringComparison.Ordinal);
            using var asset = await fixture.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task OpenApi_DescribesTheDatasetEndpoints()
    {
        var paths = (await fixture.Client.GetJsonAsync("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.GetProperty("/api/datasets").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/datasets/export").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/datasets/latest/manifest.json").TryGetProperty("get", out _));
    }

    private static (int Train, int Validation) Ready(JsonElement datasets, string name)
    {
        var dataset = datasets.GetProperty("ready").GetProperty(name);
        return (dataset.GetProperty("train").GetInt32(), dataset.GetProperty("validation").GetInt32());
    }

    private static async Task<JsonElement> ExportAsync(HttpClient client)
    {
        using var response = await client.PostAsync(new Uri("/api/datasets/export", UriKind.Relative), content: null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    private static async Task RateAsync(HttpClient client, object feedback)
    {
        using var response = await client.PostAsJsonAsync("/api/feedback", feedback);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
