using Azure;
using Azure.Core;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ragtune.Azure.Tests.Loopback;
using Ragtune.Core;
using Ragtune.OpenAI;
using Ragtune.Testing.Loopback;

namespace Ragtune.Azure.Tests;

/// <summary>
/// The services as the Functions app's Program composes them (Core, <c>AddRagtuneAzure</c>, the Azure OpenAI embeddings,
/// the chat provider switch), pointed at loopback stand-ins for Azure OpenAI and Azure AI Search, with a credential that
/// hands out a fixed Entra token.
/// </summary>
internal static class FunctionsComposition
{
    /// <summary>The settings the app needs, for Azure OpenAI at <paramref name="openAI"/> and the storage at <paramref name="storage"/>.</summary>
    public static Dictionary<string, string?> Settings(LoopbackServer openAI, string storage, string chatModel = "gpt-4o-mini") => new(StringComparer.Ordinal)
    {
        ["Ragtune:Search:Endpoint"] = HttpsToLoopback.ServiceAddress.ToString(),
        ["Ragtune:Search:ApiKey"] = "search-key",
        ["Ragtune:Embeddings:Endpoint"] = openAI.BaseAddress.ToString(),
        ["Ragtune:Embeddings:Deployment"] = "embeddings",
        ["Ragtune:Chat:Provider"] = "azure-openai",
        ["Ragtune:Chat:Endpoint"] = openAI.BaseAddress.ToString(),
        ["Ragtune:Chat:Model"] = chatModel,
        ["Ragtune:AzureStorage:ConnectionString"] = storage,
        ["Ragtune:AzureStorage:DocumentsTable"] = Testing.Azurite.UniqueName("documents"),
        ["Ragtune:AzureStorage:DatasetsContainer"] = Testing.Azurite.UniqueName("datasets"),
    };

    /// <summary>The host, not started; <paramref name="configure"/> adds or replaces services (a <see cref="TimeProvider"/>, say).</summary>
    public static IHost Build(Dictionary<string, string?> settings, LoopbackServer search, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(DelegatedTokenCredential.Create((_, _) => new AccessToken("entra-token", DateTimeOffset.MaxValue)));
        builder.Services.AddSingleton(new SearchIndexClient(
            HttpsToLoopback.ServiceAddress,
            new AzureKeyCredential("search-key"),
            new SearchClientOptions { Transport = HttpsToLoopback.Transport(search) }));
        builder.Services.AddLogging();
        configure?.Invoke(builder.Services);
        builder.Services.AddRagtuneCore();
        builder.Services.AddRagtuneAzure(builder.Configuration);
        builder.Services.AddRagtuneAzureOpenAIEmbeddings();
        builder.Services.AddRagtuneChat();
        return builder.Build();
    }
}
