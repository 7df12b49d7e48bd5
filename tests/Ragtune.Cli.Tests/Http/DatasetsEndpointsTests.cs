using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ragtune.Cli.Tests.Contract;
using Ragtune.Embedded.Files;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// The dataset endpoints of <c>ragtune serve</c> (not part of the shared HTTP API): GET /api/datasets,
/// POST /api/datasets/export and GET /api/datasets/latest/manifest.json. Each test has a server and data folder of its
/// own, so what one test rates or exports is never counted by another.
/// </summary>
public sealed class DatasetsEndpointsTests : IAsyncLifetime
{
    private static readonly string[] DatasetsFields = ["ratedAnswers", "minTrainingExamples", "newRatingsSinceLastExport", "ready", "excluded", "fineTuning"];

    private readonly SamplesServerFixture _server = new();

    private HttpClient Client => _server.Client;

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Datasets_BeforeAnyRating_CountNothing_AndThereIsNothingToExport()
    {
        var before = await Client.GetJsonAsync("/api/datasets");

        ApiShapes.HasExactly(before, DatasetsFields);
        Assert.Equal((0, SamplesServerFixture.MinTrainingExamples, false), (before.GetProperty("ratedAnswers").GetInt32(), before.GetProperty("minTrainingExamples").GetInt32(), before.GetProperty("newRatingsSinceLastExport").GetBoolean()));
        Assert.Equal((0, 0), Ready(before, "sft"));
        var fineTuning = before.GetProperty("fineTuning");
        Assert.Equal((0, SamplesServerFixture.MinTrainingExamples), (fineTuning.GetProperty("examplesReady").GetInt32(), fineTuning.GetProperty("minTrainingExamples").GetInt32()));
        Assert.Equal(("extractive", false), (fineTuning.GetProperty("activeModel").GetProperty("model").GetString(), fineTuning.GetProperty("activeModel").GetProperty("fineTuned").GetBoolean()));
        Assert.Equal(0, fineTuning.GetProperty("recentRatings").GetProperty("rated").GetInt32());
        Assert.Equal("nothingRated", (await ExportAsync(Client)).GetProperty("outcome").GetString());
        using var missing = await Client.GetAsync(new Uri("/api/datasets/latest/manifest.json", UriKind.Relative));
        Assert.Equal("not-found", (await ApiShapes.AssertProblemAsync(missing, HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Datasets_AfterRatings_CountWhatAnExportNowWouldHold()
    {
        await RateThreeAnswersAsync();

        var ready = await Client.GetJsonAsync("/api/datasets");

        Assert.Equal(3, ready.GetProperty("ratedAnswers").GetInt32());
        Assert.True(ready.GetProperty("newRatingsSinceLastExport").GetBoolean());
        Assert.Equal((2, 0), Ready(ready, "sft"));
        Assert.Equal("complete", ready.GetProperty("ready").GetProperty("sft").GetProperty("status").GetString());
        Assert.Equal((1, 0), Ready(ready, "dpo"));
        Assert.Equal("insufficient", ready.GetProperty("ready").GetProperty("dpo").GetProperty("status").GetString());
        Assert.Equal(1, ready.GetProperty("excluded").GetProperty("total").GetInt32());
        Assert.Equal(1, ready.GetProperty("excluded").GetProperty("reasons").GetProperty("down_without_correction").GetInt32());
        var recent = ready.GetProperty("fineTuning").GetProperty("recentRatings");
        Assert.Equal((3, 2), (recent.GetProperty("rated").GetInt32(), recent.GetProperty("down").GetInt32()));
        Assert.Equal(2, ready.GetProperty("fineTuning").GetProperty("examplesReady").GetInt32());
    }

    [Fact]
    public async Task Export_WhileAnotherExportHoldsTheFolder_IsBusy()
    {
        await RateThreeAnswersAsync();
        var datasetsFolder = Directory.CreateDirectory(Path.Combine(_server.DataDirectory, "datasets")).FullName;

        await using (new FileStream(Path.Combine(datasetsFolder, DatasetFolderStore.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            // Another export (here: this test) holds the folder.
            using var busy = await Client.PostAsJsonAsync("/api/datasets/export", new { });
            Assert.Equal("export-busy", (await ApiShapes.AssertProblemAsync(busy, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }

        Assert.Equal("exported", (await ExportAsync(Client)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ExportNow_WritesWhatWasCounted_AndServesItsManifest()
    {
        await RateThreeAnswersAsync();
        var ready = await Client.GetJsonAsync("/api/datasets");

        var exported = await ExportAsync(Client);

        Assert.Equal("exported", exported.GetProperty("outcome").GetString());
        var export = exported.GetProperty("export");
        Assert.Equal(ready.GetProperty("ready").GetRawText(), export.GetProperty("datasets").GetRawText());
        Assert.Equal("/api/datasets/latest/manifest.json", export.GetProperty("manifestUrl").GetString());
        Assert.True(File.Exists(Path.Combine(_server.DataDirectory, "datasets", export.GetProperty("name").GetString()!, "manifest.json")));
        var manifest = await Client.GetJsonAsync("/api/datasets/latest/manifest.json");
        Assert.Equal(export.GetProperty("exportId").GetString(), manifest.GetProperty("exportId").GetString());
        Assert.Equal(3, manifest.GetProperty("ratedInteractions").GetInt32());
    }

    [Fact]
    public async Task AfterAnExport_NothingIsNew_AndExportingAgainIsUpToDate()
    {
        await RateThreeAnswersAsync();
        var export = (await ExportAsync(Client)).GetProperty("export");

        var after = await Client.GetJsonAsync("/api/datasets");
        var again = await ExportAsync(Client);

        Assert.False(after.GetProperty("newRatingsSinceLastExport").GetBoolean());
        Assert.Equal(export.GetProperty("exportId").GetString(), after.GetProperty("lastExport").GetProperty("exportId").GetString());
        Assert.Equal(export.GetProperty("createdAt").GetString(), after.GetProperty("lastExport").GetProperty("createdAt").GetString());
        Assert.Equal("upToDate", again.GetProperty("outcome").GetString());
        Assert.Equal(export.GetProperty("exportId").GetString(), again.GetProperty("export").GetProperty("exportId").GetString());
    }

    /// <summary>A page of another origin can send these without a CORS preflight (simple requests): none may export.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Export_WithoutAJsonContentType_Is415AndWritesNothing(string? contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/datasets/export");
        if (contentType is not null)
        {
            request.Content = new StringContent("{}");
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await Client.SendAsync(request);

        Assert.Equal("unsupported-media-type", (await ApiShapes.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType)).GetProperty("code").GetString());
        Assert.False(Directory.Exists(Path.Combine(_server.DataDirectory, "datasets")) && Directory.EnumerateDirectories(Path.Combine(_server.DataDirectory, "datasets")).Any());
    }

    private static (int Train, int Validation) Ready(JsonElement datasets, string name)
    {
        var dataset = datasets.GetProperty("ready").GetProperty(name);
        return (dataset.GetProperty("train").GetInt32(), dataset.GetProperty("validation").GetInt32());
    }

    private static async Task<JsonElement> ExportAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/datasets/export", new { });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Asks three questions and rates the answers: one up, one down with a correction, one down without.</summary>
    private async Task RateThreeAnswersAsync()
    {
        var up = await Client.AskAsync(new { question = "How long is the battery warranty?" });
        var corrected = await Client.AskAsync(new { question = "What voids the warranty?" });
        var uncorrected = await Client.AskAsync(new { question = "How do I make a warranty claim?" });
        await RateAsync(Client, new { answerId = up.GetProperty("answerId").GetString(), rating = "up" });
        await RateAsync(Client, new { answerId = corrected.GetProperty("answerId").GetString(), rating = "down", correction = "Opening the battery case or the motor housing [1]." });
        await RateAsync(Client, new { answerId = uncorrected.GetProperty("answerId").GetString(), rating = "down" });
    }

    private static async Task RateAsync(HttpClient client, object feedback)
    {
        using var response = await client.PostAsJsonAsync("/api/feedback", feedback);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
