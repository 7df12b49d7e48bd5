using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded;

/// <summary>Registers the embedded default's adapters.</summary>
public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>
    /// The SQLite file (<c>Ragtune:Storage:DataDirectory</c>, default <c>./.ragtune</c>) as <see cref="IChunkIndex"/> and
    /// <see cref="IDocumentCatalog"/>, with <see cref="SqliteDatabase"/> for other stores in the same file.
    /// </summary>
    public static IServiceCollection AddRagtuneSqliteStorage(this IServiceCollection services)
    {
        services.AddOptions<SqliteStorageOptions>()
            .BindConfiguration(SqliteStorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<SqliteChunkIndex>();
        services.TryAddSingleton<IChunkIndex>(provider => provider.GetRequiredService<SqliteChunkIndex>());
        services.TryAddSingleton<IDocumentCatalog, SqliteDocumentCatalog>();
        return services;
    }
}
