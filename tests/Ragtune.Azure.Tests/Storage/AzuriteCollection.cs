using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Ragtune.Azure.Storage;
using Ragtune.Testing;

namespace Ragtune.Azure.Tests.Storage;

/// <summary>One Azurite for every test class that needs storage; each class uses tables and containers of its own.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}

/// <summary>Storage options naming tables and containers no other test uses, on the shared Azurite.</summary>
internal static class AzuriteStorage
{
    public static IOptions<AzureStorageOptions> UniqueOptions(Azurite azurite) => Options.Create(new AzureStorageOptions
    {
        ConnectionString = azurite.ConnectionString,
        DocumentsContainer = Azurite.UniqueName("documents"),
        DatasetsContainer = Azurite.UniqueName("datasets"),
        DocumentsTable = Azurite.UniqueName("documents"),
        InteractionsTable = Azurite.UniqueName("interactions"),
        FeedbackTable = Azurite.UniqueName("feedback"),
        TuningTable = Azurite.UniqueName("tuning"),
    });

    public static StorageTables Tables(Azurite azurite) => new(new TableServiceClient(azurite.ConnectionString));

    public static BlobServiceClient Blobs(Azurite azurite) => new(azurite.ConnectionString);
}
