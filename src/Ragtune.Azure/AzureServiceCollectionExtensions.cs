using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Azure.OpenAI;
using Ragtune.Azure.Search;
using Ragtune.Azure.Storage;
using Ragtune.Core;
using Ragtune.Core.Answering;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;

namespace Ragtune.Azure;

/// <summary>Registers the Azure adapters.</summary>
public static partial class AzureServiceCollectionExtensions
{
    /// <summary>Chunks per ingestion batch on Azure, unless configured: one embedding request and one index request per 1,000 typical chunks.</summary>
    public const int DefaultIngestionBatchSize = 1000;

    /// <summary>
    /// Everything Ragtune runs on in Azure, with options bound and validated at start (a missing setting is named):
    /// Azure AI Search as <see cref="IChunkIndex"/> (<c>Ragtune:Search</c>), Azure OpenAI embeddings
    /// (<c>Ragtune:Embeddings</c>) and chat (<c>Ragtune:Chat</c>), Table Storage as <see cref="IDocumentCatalog"/> and
    /// <see cref="IInteractionStore"/> and Blob Storage as <see cref="IDatasetWriter"/> (<c>Ragtune:AzureStorage</c>).
    /// One <see cref="DefaultAzureCredential"/> serves every client; <c>AZURE_CLIENT_ID</c> names the user-assigned
    /// managed identity.
    /// </summary>
    public static IServiceCollection AddRagtuneAzure(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential(
            new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] }));

        if (configuration[$"{IngestionOptions.SectionName}:{nameof(IngestionOptions.BatchSize)}"] is null)
        {
            services.Configure<IngestionOptions>(options => options.BatchSize = DefaultIngestionBatchSize);
        }

        services.AddRagtuneAzureOpenAIEmbeddings();
        services.AddRagtuneAzureSearch();
        services.AddRagtuneAzureStorage();
        services.AddRagtuneChat();
        return services;
    }

    /// <summary>Azure OpenAI as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, and its <see cref="Core.Embeddings.EmbeddingModelProfile"/>.</summary>
    public static IServiceCollection AddRagtuneAzureOpenAIEmbeddings(this IServiceCollection services)
    {
        services.AddValidatedOptions<AzureOpenAIEmbeddingOptions>(AzureOpenAIEmbeddingOptions.SectionName);
        services.TryAddSingleton(provider => AzureOpenAIEmbeddings.Profile(provider.GetRequiredService<IOptions<AzureOpenAIEmbeddingOptions>>().Value));
        services.TryAddSingleton(provider => AzureOpenAIEmbeddings.Create(
            provider.GetRequiredService<IOptions<AzureOpenAIEmbeddingOptions>>().Value, provider.GetRequiredService<TokenCredential>()));
        return services;
    }

    /// <summary>Azure AI Search as the <see cref="IChunkIndex"/>; the index is created or updated at start.</summary>
    public static IServiceCollection AddRagtuneAzureSearch(this IServiceCollection services)
    {
        services.AddValidatedOptions<AzureSearchOptions>(AzureSearchOptions.SectionName);
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AzureSearchOptions>>().Value;
            var clientOptions = new SearchClientOptions { Retry = { MaxRetries = options.MaxRetries, Mode = RetryMode.Exponential } };
            var endpoint = options.Endpoint ?? throw new InvalidOperationException($"{AzureSearchOptions.SectionName}:Endpoint is required.");
            return string.IsNullOrEmpty(options.ApiKey)
                ? new SearchIndexClient(endpoint, provider.GetRequiredService<TokenCredential>(), clientOptions)
                : new SearchIndexClient(endpoint, new AzureKeyCredential(options.ApiKey), clientOptions);
        });
        services.TryAddSingleton<AzureSearchChunkIndex>();
        services.TryAddSingleton<IChunkIndex>(provider => provider.GetRequiredService<AzureSearchChunkIndex>());
        services.AddHostedService<SearchIndexSetup>();
        return services;
    }

    /// <summary>Table Storage as <see cref="IDocumentCatalog"/> and <see cref="IInteractionStore"/>, Blob Storage as <see cref="IDatasetWriter"/>.</summary>
    public static IServiceCollection AddRagtuneAzureStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<AzureStorageOptions>(AzureStorageOptions.SectionName);
        services.AddAzureClients(clients =>
        {
            clients.UseCredential(provider => provider.GetRequiredService<TokenCredential>());
            clients.AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, credential, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
                return string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? new BlobServiceClient(options.BlobServiceUri, credential, clientOptions)
                    : new BlobServiceClient(options.ConnectionString, clientOptions);
            });
            clients.AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<AzureStorageOptions>>().Value;
                return string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? new TableServiceClient(options.TableServiceUri, credential, clientOptions)
                    : new TableServiceClient(options.ConnectionString, clientOptions);
            });
        });
        services.TryAddSingleton<StorageTables>();
        services.TryAddSingleton<IDocumentCatalog, TableDocumentCatalog>();
        services.TryAddSingleton<IInteractionStore, TableInteractionStore>();
        services.TryAddSingleton<IDatasetWriter, BlobDatasetWriter>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// The chat model by configuration (<c>Ragtune:Chat:Provider</c>): <c>azure-openai</c>, <c>openai-compatible</c>, or
    /// <c>extractive</c> when the host registers it (keyed <see cref="IChatClient"/> and <see cref="ChatModelProfile"/>
    /// under <see cref="ChatProviderOptions.Extractive"/>); a provider the host lacks fails at start.
    /// </summary>
    public static IServiceCollection AddRagtuneChat(this IServiceCollection services)
    {
        services.AddValidatedOptions<ChatProviderOptions>(ChatProviderOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatProviderOptions>, ChatProviderAvailability>());

        // One credential for the process, used only if Azure OpenAI is called without a key.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            return options.Provider == ChatProviderOptions.Extractive
                ? provider.GetRequiredKeyedService<IChatClient>(ChatProviderOptions.Extractive)
                : OpenAIChatClients.Create(options, provider.GetRequiredService<TokenCredential>());
        });
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            return options.Provider == ChatProviderOptions.Extractive
                ? provider.GetRequiredKeyedService<ChatModelProfile>(ChatProviderOptions.Extractive)
                : ChatModelProfile.ForModel(options.Model!);
        });
        return services;
    }

    /// <summary>Fails at start when the configured chat provider is one this host does not have (extractive in Azure).</summary>
    private sealed class ChatProviderAvailability(IServiceProviderIsService services) : IValidateOptions<ChatProviderOptions>
    {
        public ValidateOptionsResult Validate(string? name, ChatProviderOptions options) =>
            options.Provider == ChatProviderOptions.Extractive
            && !(services is IServiceProviderIsKeyedService keyed && keyed.IsKeyedService(typeof(IChatClient), ChatProviderOptions.Extractive))
                ? ValidateOptionsResult.Fail(
                    $"{ChatProviderOptions.SectionName}:Provider is '{ChatProviderOptions.Extractive}', which this host does not have: set it to '{ChatProviderOptions.AzureOpenAI}' or '{ChatProviderOptions.OpenAICompatible}'.")
                : ValidateOptionsResult.Success;
    }

    /// <summary>
    /// Creates or updates the search index when the host starts. A wrong setting or missing permission stops the start;
    /// an outage does not (the index is ensured again on first use).
    /// </summary>
    private sealed partial class SearchIndexSetup(AzureSearchChunkIndex index, ILogger<SearchIndexSetup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await index.EnsureIndexAsync(cancellationToken);
            }
            catch (DependencyUnavailableException exception)
            {
                LogSetupDeferred(logger, exception);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Azure AI Search is unavailable at start; the index is created on first use")]
        private static partial void LogSetupDeferred(ILogger logger, Exception exception);
    }
}
