using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ragtune.Azure.Search;
using Ragtune.Azure.Storage;
using Ragtune.Core;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;

namespace Ragtune.Azure;

/// <summary>Registers the Azure adapters.</summary>
public static class AzureServiceCollectionExtensions
{
    /// <summary>Chunks per ingestion batch on Azure, unless configured: one embedding request and one index request per 1,000 typical chunks.</summary>
    public const int DefaultIngestionBatchSize = 1000;

    /// <summary>
    /// The Azure services Ragtune runs on, with options bound and validated at start (a missing setting is named):
    /// Azure AI Search as <see cref="IChunkIndex"/> (<c>Ragtune:Search</c>), Table Storage as <see cref="IDocumentCatalog"/>
    /// and <see cref="IInteractionStore"/> and Blob Storage as <see cref="IDatasetStore"/> (<c>Ragtune:AzureStorage</c>),
    /// each client composed through <c>AddAzureClients</c>. This is the process's one <see cref="TokenCredential"/>
    /// registration: a <see cref="DefaultAzureCredential"/> whose user-assigned managed identity is <c>AZURE_CLIENT_ID</c>,
    /// which the Azure OpenAI clients of Ragtune.OpenAI take too.
    /// </summary>
    public static IServiceCollection AddRagtuneAzure(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential(
            new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"] }));

        if (configuration[$"{IngestionOptions.SectionName}:{nameof(IngestionOptions.BatchSize)}"] is null)
        {
            services.Configure<IngestionOptions>(options => options.BatchSize = DefaultIngestionBatchSize);
        }

        services.AddRagtuneAzureSearch();
        services.AddRagtuneAzureStorage();
        return services;
    }

    /// <summary>
    /// Azure AI Search as the <see cref="IChunkIndex"/>; the index is created or updated in the background from the start,
    /// tried again until it is ready, and health reports why it is not meanwhile.
    /// </summary>
    public static IServiceCollection AddRagtuneAzureSearch(this IServiceCollection services)
    {
        services.AddValidatedOptions<AzureSearchOptions>(AzureSearchOptions.SectionName);
        services.AddAzureClients(clients =>
        {
            clients.UseCredential(provider => provider.GetRequiredService<TokenCredential>());
            clients.AddClient<SearchIndexClient, SearchClientOptions>((clientOptions, credential, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<AzureSearchOptions>>().Value;
                clientOptions.Retry.MaxRetries = options.MaxRetries;
                clientOptions.Retry.Mode = RetryMode.Exponential;
                var endpoint = options.Endpoint ?? throw new InvalidOperationException($"{AzureSearchOptions.SectionName}:Endpoint is required.");
                return string.IsNullOrEmpty(options.ApiKey)
                    ? new SearchIndexClient(endpoint, credential, clientOptions)
                    : new SearchIndexClient(endpoint, new AzureKeyCredential(options.ApiKey), clientOptions);
            });
        });
        services.TryAddSingleton<ServiceReadiness>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SearchIndexReadiness>();
        services.TryAddSingleton<AzureSearchChunkIndex>();
        services.TryAddSingleton<IChunkIndex>(provider => provider.GetRequiredService<AzureSearchChunkIndex>());
        services.AddHostedService<SearchIndexSetup>();
        return services;
    }

    /// <summary>Table Storage as <see cref="IDocumentCatalog"/>, <see cref="IInteractionStore"/> and <see cref="ITuningRunStore"/>, Blob Storage as <see cref="IDatasetStore"/>.</summary>
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
        services.TryAddSingleton<ITuningRunStore, TableTuningRunStore>();
        services.TryAddSingleton<IDatasetStore, BlobDatasetStore>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
