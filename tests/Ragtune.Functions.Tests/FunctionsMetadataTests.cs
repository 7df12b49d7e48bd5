using System.Text.Json;
using Ragtune.Testing;

namespace Ragtune.Functions.Tests;

/// <summary>
/// The <c>functions.metadata</c> the build writes beside the app is what the Functions host indexes: exactly these
/// triggers, routes, methods, auth levels, schedules, connections and the Event Grid blob source.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Dictionary<string, JsonElement> Functions = Load();

    [Fact]
    public void Metadata_HasExactlyTheIntendedFunctions()
    {
        Assert.Equal(
            ["ApplyRetention", "Ask", "Chat", "ChatCompletions", "Documents", "ExportFineTuneDataset", "Feedback", "Health", "IngestDocument", "Models", "ReconcileIndex", "TuneModel"],
            Functions.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void IngestDocument_IsAnEventGridBlobTriggerOnDocuments_BoundDeferredToTheClient()
    {
        var trigger = Trigger("IngestDocument");

        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("In", trigger.GetProperty("direction").GetString());
        Assert.Equal("%Ragtune:AzureStorage:DocumentsContainer%/{name}", trigger.GetProperty("path").GetString());
        Assert.Equal("DocumentStorage", trigger.GetProperty("connection").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.Equal("True", trigger.GetProperty("properties").GetProperty("supportsDeferredBinding").GetString());
    }

    [Theory]
    [InlineData("Ask", "post", "ask", "Function")]
    [InlineData("Feedback", "post", "feedback", "Function")]
    [InlineData("Documents", "get", "documents", "Function")]
    [InlineData("Health", "get", "health", "Anonymous")]
    [InlineData("ChatCompletions", "post", "v1/chat/completions", "Function")]
    [InlineData("Models", "get", "v1/models", "Function")]
    [InlineData("Chat", "post", "chat", "Function")]
    public void HttpFunctions_HaveTheirRouteMethodAndAuthLevel(string name, string method, string route, string authLevel)
    {
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal(authLevel, trigger.GetProperty("authLevel").GetString());
    }

    [Theory]
    [InlineData("ReconcileIndex", "0 0 * * * *")]
    [InlineData("ApplyRetention", "0 30 * * * *")]
    [InlineData("ExportFineTuneDataset", "%Ragtune:FineTuning:Schedule%")]
    [InlineData("TuneModel", "0 */10 * * * *")]
    public void TimerFunctions_HaveTheirSchedule(string name, string schedule)
    {
        var trigger = Trigger(name);

        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(schedule, trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void HostJson_ShipsWithTheApp()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputFolder(), "host.json")));
        var blobs = host.RootElement.GetProperty("extensions").GetProperty("blobs");

        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.True(blobs.GetProperty("poisonBlobThreshold").GetInt32() >= 1);
        Assert.True(blobs.GetProperty("maxDegreeOfParallelism").GetInt32() >= 1);
        Assert.Equal("00:30:00", host.RootElement.GetProperty("functionTimeout").GetString());
    }

    private static JsonElement Trigger(string function) =>
        Assert.Single(Functions[function].GetProperty("bindings").EnumerateArray(), b => b.GetProperty("direction").GetString() == "In");

    /// <summary>The app's own build output (this test's build builds it), in the same configuration as this test.</summary>
    private static string OutputFolder()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(SharedData.RepositoryRoot, "src", "Ragtune.Functions", "bin", configuration, "net10.0");
    }

    private static Dictionary<string, JsonElement> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputFolder(), "functions.metadata")));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone(), StringComparer.Ordinal);
    }
}
