using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Azure.Tests.Storage;
using Ragtune.Core;
using Ragtune.Azure.Tests.Loopback;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Testing;
using Ragtune.Testing.Loopback;

namespace Ragtune.Azure.Tests.Search;

/// <summary>
/// The Functions app's services start whatever state the search index is in (a role assignment still propagating, a
/// definition the service refuses, an outage), create the index in the background, and say in health why it is not ready.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SearchIndexStartTests(Azurite azurite) : IAsyncLifetime
{
    private const string Forbidden = "index not ready: 403 Forbidden from Azure AI Search; role assignments can take minutes";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private LoopbackServer _openAI = null!;
    private LoopbackServer _search = null!;

    public async Task InitializeAsync()
    {
        _openAI = await LoopbackServer.StartAsync();
        _search = await LoopbackServer.StartAsync();
        _openAI.Respond(EmbeddingResponses.Healthy(1536));
    }

    public async Task DisposeAsync()
    {
        await _openAI.DisposeAsync();
        await _search.DisposeAsync();
    }

    [Fact]
    public async Task Start_IndexForbiddenThenCreated_StartsAndIsUnhealthyWithTheReasonUntilTheIndexIsReady()
    {
        _search.Enqueue(Error(403, "Forbidden", "Authorization failed."));
        _search.Respond(SearchServiceResponses.Healthy());
        using var host = Build();

        await host.StartAsync();

        var health = host.Services.GetRequiredService<HealthCheck>();
        await Eventually.HoldsAsync(async () => (await health.CheckAsync()).Failures?.Contains(Forbidden) == true, Deadline, "health names the 403");
        Assert.False((await health.CheckAsync()).IsHealthy);
        await Eventually.HoldsAsync(async () => AdvanceThen((await health.CheckAsync()).IsHealthy), Deadline, "the index is created on a later attempt");
        Assert.Equal(2, IndexPuts());
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_DefinitionConflictsWithTheExistingIndex_IsAPermanentHealthFailureNamingTheSetting()
    {
        _search.Respond(_ => Error(400, "InvalidRequestParameter", "Existing field 'embedding' cannot be changed."));
        using var host = Build();

        await host.StartAsync();

        var setup = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();
        await Eventually.HoldsAsync(() => Task.FromResult(AdvanceThen(setup.ExecuteTask?.IsCompleted == true)), Deadline, "the setup gives up on a refused definition");
        _time.Advance(TimeSpan.FromHours(1));
        var report = await host.Services.GetRequiredService<HealthCheck>().CheckAsync();
        var reason = Assert.Single(report.Failures!);
        Assert.Contains("Ragtune:Search:IndexName", reason, StringComparison.Ordinal);
        Assert.Contains("Existing field 'embedding' cannot be changed.", reason, StringComparison.Ordinal);
        Assert.True(setup.ExecuteTask!.IsCompletedSuccessfully, "no crash: the worker keeps serving health");
        Assert.Equal(1, IndexPuts());
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_ServiceUnavailableStorm_IsTriedAgainUntilItAnswers()
    {
        var puts = 0;
        _search.Respond(request => request.Method == "PUT" && Interlocked.Increment(ref puts) <= 4
            ? Error(503, "ServiceUnavailable", "Try again later.")
            : SearchServiceResponses.Healthy()(request));
        using var host = Build(("Ragtune:Search:MaxRetries", "0"));

        await host.StartAsync();

        var health = host.Services.GetRequiredService<HealthCheck>();
        await Eventually.HoldsAsync(
            async () => (await health.CheckAsync()).Failures?.Any(f => f.StartsWith("index not ready: Azure AI Search is unavailable", StringComparison.Ordinal)) == true,
            Deadline,
            "health says the service is unavailable");
        await Eventually.HoldsAsync(async () => AdvanceThen((await health.CheckAsync()).IsHealthy), Deadline, "the index is created once the service answers");
        Assert.Equal(5, IndexPuts());
        await host.StopAsync();
    }

    [Fact]
    public async Task Ingest_WhileTheIndexIsForbidden_FailsTransientlyAndRecordsNoFailure()
    {
        _search.Respond(_ => Error(403, "Forbidden", "Authorization failed."));
        using var host = Build();
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheck>();
        await Eventually.HoldsAsync(async () => (await health.CheckAsync()).Failures?.Contains(Forbidden) == true, Deadline, "health names the 403");

        var result = await host.Services.GetRequiredService<IngestionPipeline>().IngestAsync(
            new SourceDocument("handbook/leave.md", [], _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("Employees get 25 days of leave.")))));

        Assert.Equal(IngestionOutcome.TransientFailure, result.Outcome);
        var unavailable = Assert.IsType<DependencyUnavailableException>(result.Exception);
        Assert.Equal("search", unavailable.Dependency);
        Assert.Contains(Forbidden, unavailable.InnerException!.Message, StringComparison.Ordinal);
        Assert.Null(await host.Services.GetRequiredService<IDocumentCatalog>().FindAsync(DocumentIds.ForSource("handbook/leave.md")));
        Assert.Equal(1, IndexPuts());
        await host.StopAsync();
    }

    private static LoopbackResponse Error(int status, string code, string message) =>
        LoopbackResponse.Json(System.Text.Json.JsonSerializer.Serialize(new { error = new { code, message } }), status);

    /// <summary>Moves the clock past the next retry, then says whether <paramref name="condition"/> held before it moved.</summary>
    private bool AdvanceThen(bool condition)
    {
        _time.Advance(TimeSpan.FromMinutes(5));
        return condition;
    }

    private int IndexPuts() => _search.Requests.Count(r => r.Method == "PUT" && r.Path.StartsWith("/indexes", StringComparison.Ordinal));

    private IHost Build(params (string Key, string Value)[] extra)
    {
        var settings = FunctionsComposition.Settings(_openAI, azurite.ConnectionString);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return FunctionsComposition.Build(settings, _search, services => services.AddSingleton<TimeProvider>(_time));
    }
}
