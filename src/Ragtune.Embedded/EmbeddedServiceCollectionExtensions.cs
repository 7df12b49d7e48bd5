using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Index;
using Ragtune.Embedded.Chat;
using Ragtune.Embedded.Embeddings;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded;

/// <summary>Registers the embedded default's adapters.</summary>
public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>
    /// Everything the embedded default provides: MiniLM embeddings, the SQLite index, catalog and interaction store,
    /// the extractive answerer (a keyed <see cref="IChatClient"/> and its profile under
    /// <see cref="ExtractiveChatClient.ProviderName"/>, for the host's chat provider switch), the documents folder's
    /// options, and the datasets folder.
    /// </summary>
    public static IServiceCollection AddRagtuneEmbedded(this IServiceCollection services)
    {
        services.AddRagtuneMiniLmEmbeddings();

        // Registered before the storage's own: the index computes the answerer's sentence vectors at ingestion when the
        // chat client is the extractive answerer and Ragtune:Chat:Extractive:IndexSentences is on.
        services.TryAddSingleton(provider => new SqliteChunkIndex(
            provider.GetRequiredService<SqliteDatabase>(),
            provider.GetRequiredService<IOptions<SqliteStorageOptions>>(),
            provider.GetRequiredService<ILogger<SqliteChunkIndex>>(),
            () => provider.GetRequiredService<IOptions<ExtractiveOptions>>().Value.IndexSentences
                && provider.GetService<IChatClient>()?.GetService(typeof(ExtractiveChatClient)) is not null
                    ? provider.GetRequiredService<SentenceVectors>()
                    : null));
        services.AddRagtuneSqliteStorage();
        services.AddValidatedOptions<ExtractiveOptions>(ExtractiveOptions.SectionName);
        services.TryAddSingleton<ISentenceVectorStore, SqliteSentenceVectorStore>();
        services.TryAddSingleton<SentenceVectors>();
        services.TryAddSingleton<ExtractiveChatClient>();
        services.TryAddKeyedSingleton<IChatClient>(ExtractiveChatClient.ProviderName, (provider, _) => provider.GetRequiredService<ExtractiveChatClient>());
        services.TryAddKeyedSingleton(ExtractiveChatClient.ProviderName, (_, _) => ExtractiveChatClient.Profile);
        services.AddValidatedOptions<DocumentFolderOptions>(DocumentFolderOptions.SectionName);
        services.AddRagtuneDatasetFolder();
        return services;
    }

    /// <summary>
    /// Fine-tune exports as folders (<see cref="DatasetFolderStore"/>) under <c>Ragtune:FineTuning:OutputDirectory</c>,
    /// by default <c>datasets</c> in the data folder of <see cref="AddRagtuneSqliteStorage"/>.
    /// </summary>
    public static IServiceCollection AddRagtuneDatasetFolder(this IServiceCollection services)
    {
        services.AddValidatedOptions<DatasetFolderOptions>(DatasetFolderOptions.SectionName);
        services.TryAddSingleton<IDatasetStore, DatasetFolderStore>();
        return services;
    }

    /// <summary>
    /// Checks both SQLite files and brings them up to date now (the index first: an old index hands its answers, ratings
    /// and tuning runs to the ratings file), so that a host refuses to start on a file it cannot use.
    /// </summary>
    /// <exception cref="StoreUnusableException">A file is not a Ragtune database, is too new, or is damaged.</exception>
    public static async Task OpenRagtuneSqliteStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await services.GetRequiredService<SqliteDatabase>().OpenAsync(cancellationToken);
        await services.GetRequiredService<RatingsDatabase>().OpenAsync(cancellationToken);
    }

    /// <summary>
    /// all-MiniLM-L6-v2 on ONNX Runtime as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, and its
    /// <see cref="EmbeddingModelProfile"/>, with <see cref="MiniLmOptions"/> bound from
    /// <see cref="MiniLmOptions.SectionName"/> and validated at start. The model loads on first use; call
    /// <see cref="MiniLmEmbeddingGenerator.LoadAsync"/> to warm it up.
    /// </summary>
    public static IServiceCollection AddRagtuneMiniLmEmbeddings(this IServiceCollection services)
    {
        services.AddValidatedOptions<MiniLmOptions>(MiniLmOptions.SectionName);
        services.TryAddSingleton(serviceProvider => new MiniLmEmbeddingGenerator(
            serviceProvider.GetRequiredService<IOptions<MiniLmOptions>>().Value,
            serviceProvider.GetService<ILogger<MiniLmEmbeddingGenerator>>()));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            serviceProvider => serviceProvider.GetRequiredService<MiniLmEmbeddingGenerator>());
        services.TryAddSingleton(serviceProvider => serviceProvider.GetRequiredService<MiniLmEmbeddingGenerator>().Profile);
        return services;
    }

    /// <summary>
    /// The SQLite files in <c>Ragtune:Storage:DataDirectory</c> (default <c>./.ragtune</c>): the index file as
    /// <see cref="IChunkIndex"/> and <see cref="IDocumentCatalog"/>, the ratings file as <see cref="IInteractionStore"/> and
    /// <see cref="ITuningRunStore"/> (what cannot be rebuilt from the documents).
    /// </summary>
    public static IServiceCollection AddRagtuneSqliteStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<SqliteStorageOptions>(SqliteStorageOptions.SectionName);
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<RatingsDatabase>();
        services.TryAddSingleton<SqliteChunkIndex>();
        services.TryAddSingleton<IChunkIndex>(provider => provider.GetRequiredService<SqliteChunkIndex>());
        services.TryAddSingleton<IDocumentCatalog, SqliteDocumentCatalog>();
        services.TryAddSingleton<IInteractionStore, SqliteInteractionStore>();
        services.TryAddSingleton<ITuningRunStore, SqliteTuningRunStore>();
        return services;
    }
}
