using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ragtune.Core;
using Ragtune.Embedded;
using Ragtune.Embedded.Chat;
using Ragtune.OpenAI;

namespace Ragtune.Cli.CommandLine;

/// <summary>
/// The composition root of the one-shot commands (ingest, documents, ask, export, tune, validate): configuration from
/// appsettings.json, environment variables (<c>Ragtune__Chat__Endpoint</c>) and the command line, in the usual
/// .NET order, then the options of the command itself; Core, the embedded adapters, the chat provider switch (the
/// extractive answerer by default) and the fine-tuning service of tuning runs (none unless configured), both models
/// wrapped in Microsoft.Extensions.AI's GenAI telemetry.
/// </summary>
public static class CliHost
{
    /// <summary>Builds and starts a host (options are validated at start; a wrong setting is named).</summary>
    internal static async Task<IHost> StartAsync(CliSettings settings, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. settings.ConfigurationArgs],
        });
        Configure(builder, settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var host = builder.Build();
        try
        {
            if (settings.OpensStore)
            {
                await OpenStoreAsync(host.Services, cancellationToken);
            }

            await host.StartAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Before any work starts: the settings are validated (a wrong one is named, and no data folder is touched), then the
    /// data folder's databases are checked and brought up to date, so that a foreign, too new or damaged one stops the
    /// command (or <c>serve</c>) with one line.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is wrong.</exception>
    /// <exception cref="Ragtune.Embedded.Storage.StoreUnusableException">A database cannot be used.</exception>
    internal static async Task OpenStoreAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        await services.OpenRagtuneSqliteStorageAsync(cancellationToken);
    }

    /// <summary>What every host of the command line shares: the command's own settings on top of configuration, and the services.</summary>
    public static void Configure(IHostApplicationBuilder builder, CliSettings settings)
    {
        builder.Configuration.AddInMemoryCollection(settings.ToConfiguration());
        builder.Services.AddRagtuneCore();
        builder.Services.AddRagtuneEmbedded();
        builder.Services.AddRagtuneChat(hostProvider: ExtractiveChatClient.ProviderName);
        builder.Services.AddRagtuneFineTuning();
        builder.Services.AddRagtuneAITelemetry();

        // The process's one credential, for Azure OpenAI chat without a key (Microsoft Entra ID: az login, a managed identity).
        builder.Services.AddSingleton<TokenCredential>(new DefaultAzureCredential());
    }
}

/// <summary>Settings that come from a command's own options and override configuration.</summary>
/// <param name="DataDirectory">The <c>--data</c> folder.</param>
/// <param name="ConfigurationArgs">The command line's settings, read as configuration (<c>--Ragtune:Chat:Provider=extractive</c>).</param>
public sealed record CliSettings(DirectoryInfo DataDirectory, IReadOnlyList<string> ConfigurationArgs)
{
    /// <summary>
    /// False for commands that open no data folder (<c>validate</c>) or open one file of it themselves (<c>backup</c>): the
    /// host then leaves the databases alone.
    /// </summary>
    public bool OpensStore { get; init; } = true;

    /// <summary>The <c>--out</c> folder of fine-tune exports, when given.</summary>
    public DirectoryInfo? DatasetsDirectory { get; init; }

    public IEnumerable<KeyValuePair<string, string?>> ToConfiguration() =>
    [
        new("Ragtune:Storage:DataDirectory", DataDirectory.FullName),
        .. DatasetsDirectory is null ? [] : new KeyValuePair<string, string?>[] { new("Ragtune:FineTuning:OutputDirectory", DatasetsDirectory.FullName) },
    ];
}
