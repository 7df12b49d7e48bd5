using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ragtune.Core;
using Ragtune.Embedded;
using Ragtune.Embedded.Chat;
using Ragtune.Embedded.Embeddings;
using Ragtune.OpenAI;

namespace Ragtune.Benchmarks;

/// <summary>
/// The embedded default composed as the <c>ragtune</c> command composes it: <c>AddRagtuneCore</c>,
/// <c>AddRagtuneEmbedded</c>, <c>AddRagtuneFineTuning</c> (the tuning runs' service, unconfigured) and the extractive
/// answerer as the chat client, options from configuration validated at start, the service provider validated when
/// built. Only the data directory (and, for the memory benchmark, the
/// embedding generator) differ.
/// </summary>
internal sealed class EmbeddedStack : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedStack(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Builds and starts the stack over the SQLite file in <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">The data directory (<c>--data</c>).</param>
    /// <param name="standInEmbeddings">
    /// Registered instead of MiniLM as the embedding generator, with MiniLM's profile (so chunks are cut exactly as
    /// with the model); null for the real model.
    /// </param>
    /// <param name="settings">More configuration (<c>Ragtune:Ingestion:BatchSize</c>, ...).</param>
    public static async Task<EmbeddedStack> StartAsync(
        string dataDirectory,
        IEmbeddingGenerator<string, Embedding<float>>? standInEmbeddings = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Ragtune:Storage:DataDirectory"] = dataDirectory });
        builder.Logging.ClearProviders();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));

        if (standInEmbeddings is not null)
        {
            // Registered first: the embedded registrations only add what is missing.
            builder.Services.AddSingleton(standInEmbeddings);
            builder.Services.AddSingleton(MiniLmModel.CreateProfile());
        }

        builder.Services.AddRagtuneCore();
        builder.Services.AddRagtuneEmbedded();
        builder.Services.AddRagtuneFineTuning();
        builder.Services.AddSingleton<IChatClient>(provider => provider.GetRequiredService<ExtractiveChatClient>());
        builder.Services.AddSingleton(ExtractiveChatClient.Profile);

        var host = builder.Build();
        await host.StartAsync();
        return new EmbeddedStack(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
