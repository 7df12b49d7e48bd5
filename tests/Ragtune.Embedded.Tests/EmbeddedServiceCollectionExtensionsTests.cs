using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Core.Embeddings;
using Ragtune.Embedded.Embeddings;

namespace Ragtune.Embedded.Tests;

public sealed class EmbeddedServiceCollectionExtensionsTests
{
    [Fact]
    public void AddRagtuneMiniLmEmbeddings_BindsOptionsAndSharesOneGeneratorAndProfile()
    {
        using var provider = BuildProvider(new() { ["Ragtune:Embedding:MiniLm:Sessions"] = "3", ["Ragtune:Embedding:MiniLm:BatchTokenBudget"] = "512" });

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var options = provider.GetRequiredService<IOptions<MiniLmOptions>>().Value;

        var miniLm = Assert.IsType<MiniLmEmbeddingGenerator>(generator);
        Assert.Equal(3, options.Sessions);
        Assert.Equal(512, options.BatchTokenBudget);
        Assert.Same(miniLm.Profile, provider.GetRequiredService<EmbeddingModelProfile>());
    }

    [Fact]
    public void AddRagtuneMiniLmEmbeddings_SessionsOutOfRange_FailsNamingTheSetting()
    {
        using var provider = BuildProvider(new() { ["Ragtune:Embedding:MiniLm:Sessions"] = "0" });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MiniLmOptions>>().Value);

        Assert.Contains(nameof(MiniLmOptions.Sessions), failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddRagtuneMiniLmEmbeddings();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
