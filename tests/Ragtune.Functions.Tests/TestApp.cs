using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;
using Ragtune.Azure.Storage;
using Ragtune.Core;
using Ragtune.Core.Answering;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Ragtune.Core.Tokens;
using Ragtune.Testing;

namespace Ragtune.Functions.Tests;

/// <summary>One Azurite for every test class of this assembly.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}

/// <summary>
/// The Functions app's services as Program.cs composes them, with Core and the HTTP API real, storage on Azurite (documents container,
/// catalog table, dataset container of the test's own), and in-memory stand-ins for Azure AI Search and Azure OpenAI.
/// </summary>
internal sealed class TestApp : IDisposable
{
    /// <param name="azurite">The storage emulator.</param>
    /// <param name="chat">The chat client (default: a strict mock that fails on any call).</param>
    /// <param name="settings">App settings, as the platform and infra would set them (<c>Ragtune:Auth:Authority</c>, <c>WEBSITE_AUTH_ENABLED</c>).</param>
    public TestApp(Azurite azurite, IChatClient? chat = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new AzureStorageOptions
        {
            ConnectionString = azurite.ConnectionString,
            DocumentsContainer = Azurite.UniqueName("documents"),
            DatasetsContainer = Azurite.UniqueName("datasets"),
            DocumentsTable = Azurite.UniqueName("documents"),
            InteractionsTable = Azurite.UniqueName("interactions"),
            FeedbackTable = Azurite.UniqueName("feedback"),
        });
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(BlobReads, HttpPipelinePosition.PerRetry);
        Blobs = new BlobServiceClient(azurite.ConnectionString, blobOptions);
        Documents = Blobs.GetBlobContainerClient(Options.Value.DocumentsContainer);
        Documents.CreateIfNotExists();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddRagtuneCore();
        services.AddRagtuneFunctions();
        services.AddSingleton(Options);
        services.AddSingleton(Blobs);
        services.AddSingleton(new StorageTables(new TableServiceClient(azurite.ConnectionString)));
        services.AddSingleton<IDocumentCatalog, TableDocumentCatalog>();
        services.AddSingleton<IChunkIndex>(Index);
        services.AddSingleton<IInteractionStore>(Interactions);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(Embeddings);
        services.AddSingleton(new EmbeddingModelProfile("test-embeddings", 8, 512, 0, ChatModelTokenizers.ForEncoding(ChatModelTokenizers.Cl100kBase), 0.3f));
        services.AddSingleton(chat ?? new Mock<IChatClient>(MockBehavior.Strict).Object);
        services.AddSingleton(ChatModelProfile.ForModel("gpt-4o-mini"));
        Services = services.BuildServiceProvider();
    }

    public IOptions<AzureStorageOptions> Options { get; }

    /// <summary>Reads of blob content (GET of a blob, not of a listing) through <see cref="Blobs"/>.</summary>
    public BlobReadCounter BlobReads { get; } = new();

    public BlobServiceClient Blobs { get; }

    public BlobContainerClient Documents { get; }

    public InMemoryChunkIndex Index { get; } = new();

    public InMemoryInteractionStore Interactions { get; } = new();

    public CountingEmbeddingGenerator Embeddings { get; } = new();

    public ServiceProvider Services { get; }

    public IDocumentCatalog Catalog => Services.GetRequiredService<IDocumentCatalog>();

    public T Get<T>()
        where T : notnull => ActivatorUtilities.CreateInstance<T>(Services);

    public async Task<BlobClient> UploadAsync(string name, string text, string? groups = null)
    {
        var blob = Documents.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString(text), overwrite: true);
        if (groups is not null)
        {
            await blob.SetMetadataAsync(new Dictionary<string, string> { ["groups"] = groups });
        }

        return blob;
    }

    public void Dispose() => Services.Dispose();
}

/// <summary>Counts requests that read a blob's content: GETs whose query is not a listing or a property request.</summary>
internal sealed class BlobReadCounter : HttpPipelineSynchronousPolicy
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Get && !message.Request.Uri.Query.Contains("comp=", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _reads);
        }
    }
}
