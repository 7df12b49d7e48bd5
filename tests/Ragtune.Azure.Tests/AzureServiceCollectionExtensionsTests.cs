using System.Text;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ragtune.Azure.Search;
using Ragtune.Azure.Storage;
using Ragtune.Azure.Tests.Loopback;
using Ragtune.Testing.Loopback;
using Ragtune.Azure.Tests.Storage;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Testing;
using Xunit.Abstractions;

namespace Ragtune.Azure.Tests;

/// <summary>
/// AddRagtuneAzure with the Azure OpenAI clients, as the Functions app composes them, wires Core to Azure AI Search, Azure
/// OpenAI and Storage, validates its settings at start, shares one credential, and batches.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureServiceCollectionExtensionsTests(Azurite azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private LoopbackServer _openAI = null!;
    private LoopbackServer _search = null!;

    public async Task InitializeAsync()
    {
        _openAI = await LoopbackServer.StartAsync();
        _search = await LoopbackServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _openAI.DisposeAsync();
        await _search.DisposeAsync();
    }

    [Theory]
    [InlineData("Ragtune:Search:Endpoint")]
    [InlineData("Ragtune:Embeddings:Endpoint")]
    [InlineData("Ragtune:Embeddings:Deployment")]
    [InlineData("Ragtune:AzureStorage:BlobServiceUri")]
    [InlineData("Ragtune:Chat:Endpoint")]
    public async Task Start_WithoutASetting_FailsNamingIt(string missing)
    {
        var settings = Settings();
        settings.Remove(missing);
        settings.Remove("Ragtune:AzureStorage:ConnectionString");
        settings["Ragtune:AzureStorage:TableServiceUri"] = "https://account.table.core.windows.net";
        if (missing != "Ragtune:AzureStorage:BlobServiceUri")
        {
            settings["Ragtune:AzureStorage:BlobServiceUri"] = "https://account.blob.core.windows.net";
        }

        using var host = Build(settings);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithTheExtractiveChatProvider_FailsBecauseAzureHasNone()
    {
        var settings = Settings();
        settings["Ragtune:Chat:Provider"] = "extractive";
        using var host = Build(settings);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Ragtune:Chat:Provider", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_GivesTheAzureAdapters_AndOneCredential()
    {
        using var host = Build(Settings());

        Assert.IsType<AzureSearchChunkIndex>(host.Services.GetRequiredService<IChunkIndex>());
        Assert.IsType<TableDocumentCatalog>(host.Services.GetRequiredService<IDocumentCatalog>());
        Assert.IsType<TableInteractionStore>(host.Services.GetRequiredService<IInteractionStore>());
        Assert.IsType<BlobDatasetStore>(host.Services.GetRequiredService<IDatasetStore>());
        Assert.IsType<DatasetWriter>(host.Services.GetRequiredService<IDatasetWriter>());
        Assert.Single(host.Services.GetServices<TokenCredential>());
        Assert.Equal(AzureServiceCollectionExtensions.DefaultIngestionBatchSize, host.Services.GetRequiredService<IOptions<IngestionOptions>>().Value.BatchSize);
    }

    /// <summary>The figure of docs/benchmarks.md: requests per ingested document, counted at the loopback services.</summary>
    [Fact]
    public async Task Ingest_DocumentOf1000Chunks_MakesOneEmbeddingRequestPer1000Chunks()
    {
        _openAI.Respond(EmbeddingResponses.Healthy(1536));
        _search.Respond(SearchServiceResponses.Healthy());
        using var host = Build(Settings());
        await host.StartAsync();
        var pipeline = host.Services.GetRequiredService<IngestionPipeline>();
        var text = LongDocument(words: 160_000);
        _search.Reset();
        _search.Respond(SearchServiceResponses.Healthy());

        var result = await pipeline.IngestAsync(new SourceDocument("handbook/long.md", [], _ => Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(text)))));

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        var embeddingRequests = _openAI.Requests.Count(EmbeddingResponses.IsEmbeddings);
        var searchRequests = _search.Requests;
        var uploads = searchRequests.Count(r => r.Path.EndsWith("/docs/search.index", StringComparison.Ordinal) && r.Body.Contains("\"mergeOrUpload\"", StringComparison.Ordinal));
        output.WriteLine($"{result.Chunks} chunks: {embeddingRequests} embedding requests, {searchRequests.Count} search requests ({uploads} uploads)");
        Assert.InRange(result.Chunks, 900, 1500);
        Assert.True(embeddingRequests * 1000.0 / result.Chunks <= 5, $"{embeddingRequests} embedding requests for {result.Chunks} chunks");
        Assert.Equal((result.Chunks + 999) / 1000, embeddingRequests);
        Assert.True(searchRequests.Count <= 4 + (3 * ((result.Chunks + 999) / 1000)) + uploads, $"{searchRequests.Count} search requests");
    }

    private Dictionary<string, string?> Settings() => FunctionsComposition.Settings(_openAI, azurite.ConnectionString);

    private IHost Build(Dictionary<string, string?> settings) => FunctionsComposition.Build(settings, _search);

    /// <summary>Paragraphs of varied sentences, as a handbook has.</summary>
    private static string LongDocument(int words)
    {
        var vocabulary = "employees vacation days accrue monthly benefits health insurance dental plan retirement contribution manager approval policy travel expenses receipts reimbursed within thirty days security badge laptop".Split(' ');
        var random = new Random(11);
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            text.Append(vocabulary[random.Next(vocabulary.Length)]);
            text.Append(i % 17 == 16 ? ". " : " ");
            if (i % 170 == 169)
            {
                text.Append("\n\n");
            }
        }

        return text.ToString();
    }
}
