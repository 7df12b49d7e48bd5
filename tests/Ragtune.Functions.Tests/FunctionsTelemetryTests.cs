using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Ragtune.Testing;

namespace Ragtune.Functions.Tests;

/// <summary>
/// The Functions app's telemetry: the chat and embedding clients always wrapped in the GenAI OpenTelemetry clients;
/// traces and metrics exported to Application Insights with the app's credential only when infra gives the connection string.
/// </summary>
public sealed class FunctionsTelemetryTests
{
    private readonly TokenCredential _credential = Mock.Of<TokenCredential>();

    [Fact]
    public void ConnectionStringSet_TracesAndMetricsGoToAzureMonitorSignedInWithTheAppsCredential()
    {
        using var provider = Build("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/");

        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
        Assert.Same(_credential, provider.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName).Credential);
        AssertGenAIClients(provider);
    }

    [Fact]
    public void ConnectionStringNotSet_NothingIsExportedButTheClientsAreStillWrapped()
    {
        using var provider = Build(connectionString: null);

        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
        AssertGenAIClients(provider);
    }

    private static void AssertGenAIClients(ServiceProvider provider)
    {
        var chat = provider.GetRequiredService<IChatClient>().GetService<OpenTelemetryChatClient>();
        Assert.NotNull(chat);
        Assert.False(chat.EnableSensitiveData);
        var embeddings = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<OpenTelemetryEmbeddingGenerator<string, Embedding<float>>>();
        Assert.NotNull(embeddings);
        Assert.False(embeddings.EnableSensitiveData);
    }

    /// <summary>The app's providers (stand-ins here), its credential, then its telemetry, as Program.cs composes them.</summary>
    private ServiceProvider Build(string? connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [FunctionsServiceCollectionExtensions.ConnectionStringSetting] = connectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(_credential);
        services.AddSingleton(Mock.Of<IChatClient>());
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new CountingEmbeddingGenerator());
        services.AddRagtuneTelemetry(configuration);
        return services.BuildServiceProvider();
    }
}
