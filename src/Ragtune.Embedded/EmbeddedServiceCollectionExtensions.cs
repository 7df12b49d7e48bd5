using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Embeddings;
using Ragtune.Embedded.Embeddings;

namespace Ragtune.Embedded;

/// <summary>Registers the embedded adapters.</summary>
public static class EmbeddedServiceCollectionExtensions
{
    /// <summary>
    /// all-MiniLM-L6-v2 on ONNX Runtime as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, and its
    /// <see cref="EmbeddingModelProfile"/>, with <see cref="MiniLmOptions"/> bound from
    /// <see cref="MiniLmOptions.SectionName"/> and validated at start. The model loads on first use; call
    /// <see cref="MiniLmEmbeddingGenerator.LoadAsync"/> to warm it up.
    /// </summary>
    public static IServiceCollection AddRagtuneMiniLmEmbeddings(this IServiceCollection services)
    {
        services.AddOptions<MiniLmOptions>()
            .BindConfiguration(MiniLmOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(serviceProvider => new MiniLmEmbeddingGenerator(
            serviceProvider.GetRequiredService<IOptions<MiniLmOptions>>().Value,
            serviceProvider.GetService<ILogger<MiniLmEmbeddingGenerator>>()));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            serviceProvider => serviceProvider.GetRequiredService<MiniLmEmbeddingGenerator>());
        services.AddSingleton(serviceProvider => serviceProvider.GetRequiredService<MiniLmEmbeddingGenerator>().Profile);
        return services;
    }
}
