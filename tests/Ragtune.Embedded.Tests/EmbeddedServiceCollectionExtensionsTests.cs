using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Index;
using Ragtune.Embedded.Chat;
using Ragtune.Embedded.Embeddings;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;

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

    [Theory]
    [InlineData(true, "true", 1L)]
    [InlineData(true, "false", 0L)]
    [InlineData(false, "true", 0L)]
    public async Task AddRagtuneEmbedded_IndexesSentencesAtIngestion_WhenTheExtractiveAnswererAnswersAndTheSettingIsOn(
        bool extractive, string indexSentences, long expected)
    {
        using var data = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ragtune:Storage:DataDirectory"] = data.Path,
            ["Ragtune:Chat:Extractive:IndexSentences"] = indexSentences,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new CountingEmbeddingGenerator());
        services.AddSingleton(MiniLmModel.CreateProfile());
        services.AddRagtuneEmbedded();
        services.AddSingleton(provider => extractive ? provider.GetRequiredService<ExtractiveChatClient>() : (IChatClient)new StubChatClient());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var index = provider.GetRequiredService<IChunkIndex>();
        var documentId = DocumentIds.ForSource("a.md");
        await using (var replacement = await index.BeginReplaceAsync(documentId))
        {
            const string Text = "The battery is covered for two full years of use.";
            await replacement.AddAsync([new IndexChunk(DocumentIds.ForChunk(documentId, 0), documentId, 0, "a.md", 1, Text, DocumentIds.ContentHash(Text), [], new float[] { 1f })]);
            await replacement.CommitAsync();
        }

        await using var connection = await provider.GetRequiredService<SqliteDatabase>().OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sentence_vectors;";
        Assert.Equal(expected, await command.ExecuteScalarAsync());
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddRagtuneMiniLmEmbeddings();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class StubChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
