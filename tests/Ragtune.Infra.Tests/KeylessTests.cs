using System.Text.Json.Nodes;

namespace Ragtune.Infra.Tests;

/// <summary>No keys or connection strings anywhere: local authentication is off and every client signs in with an identity.</summary>
public sealed class KeylessTests
{
    [Fact]
    public void Template_ReadsNoKeysOrSecrets()
    {
        // ARM's list* functions (listKeys, listConnectionStrings, listSecrets, listAccountSas...) return secrets.
        Assert.DoesNotMatch(@"\blist\w*\(", MainTemplate.Text);
        Assert.DoesNotContain("AccountKey=", MainTemplate.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", MainTemplate.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("securestring", MainTemplate.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts", "allowSharedKeyAccess", false)]
    [InlineData("Microsoft.Storage/storageAccounts", "allowBlobPublicAccess", false)]
    [InlineData("Microsoft.Search/searchServices", "disableLocalAuth", true)]
    [InlineData("Microsoft.CognitiveServices/accounts", "disableLocalAuth", true)]
    [InlineData("Microsoft.Insights/components", "DisableLocalAuth", true)]
    [InlineData("Microsoft.OperationalInsights/workspaces", "features.disableLocalAuth", true)]
    public void Service_TurnsLocalAuthenticationOff(string type, string property, bool expected)
    {
        var resource = MainTemplate.Single(type);

        var value = property.Split('.').Aggregate(resource["properties"], (node, name) => node?[name]);

        Assert.True(value is JsonValue, $"{type} does not set {property}.");
        Assert.Equal(expected, value.GetValue<bool>());
    }

    [Fact]
    public void OpenAI_HasACustomSubdomain_ForMicrosoftEntraTokens()
    {
        var account = MainTemplate.Single("Microsoft.CognitiveServices/accounts");

        Assert.Equal("[parameters('name')]", (string?)account["properties"]?["customSubDomainName"]);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("DocumentStorage")]
    public void StorageConnection_UsesTheAppIdentity(string connection)
    {
        var settings = AppSettings.Compiled;

        Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        Assert.Equal(IdentityClientId, settings[$"{connection}__clientId"]);
        Assert.Equal(StorageOutput("blobEndpoint"), settings[$"{connection}__blobServiceUri"]);
        Assert.Equal(StorageOutput("queueEndpoint"), settings[$"{connection}__queueServiceUri"]);
        Assert.Equal(StorageOutput("tableEndpoint"), settings[$"{connection}__tableServiceUri"]);
        Assert.DoesNotContain(connection, settings.Keys);
    }

    [Fact]
    public void Telemetry_SignsInWithTheAppIdentity()
    {
        var settings = AppSettings.Compiled;

        Assert.Equal(IdentityClientId, settings["AZURE_CLIENT_ID"]);
        var authentication = settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        Assert.Contains("Authorization=AAD", authentication, StringComparison.Ordinal);
        Assert.Contains("outputs.clientId.value", authentication, StringComparison.Ordinal);
        // The connection string only says where telemetry goes; the component takes nothing without a token.
        Assert.Contains("'monitoring'", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
        Assert.EndsWith(".outputs.applicationInsightsConnectionString.value]", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_NameNoSecret()
    {
        var secretLike = AppSettings.Compiled.Keys
            .Where(name => name != "APPLICATIONINSIGHTS_CONNECTION_STRING")
            .Where(name => new[] { "Key", "Secret", "Password", "ConnectionString", "Sas", "Token" }
                .Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase)));

        Assert.Empty(secretLike);
        Assert.All(AppSettings.Compiled.Values, value => Assert.DoesNotContain("Key=", value, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("AzureWebJobsStorage")]
    public void AppSettings_LeaveOutWhatFlexConsumptionRejectsOrAKeyWouldNeed(string setting)
    {
        Assert.DoesNotContain(setting, AppSettings.Compiled.Keys);
    }

    private static string IdentityClientId => ModuleOutput("identity", "clientId");

    private static string StorageOutput(string output) => ModuleOutput("storage", output);

    private static string ModuleOutput(string module, string output)
    {
        var value = AppSettings.Compiled.Values.FirstOrDefault(value =>
            value.Contains($"'Microsoft.Resources/deployments', '{module}')", StringComparison.Ordinal)
            && value.EndsWith($".outputs.{output}.value]", StringComparison.Ordinal));
        return value ?? throw new InvalidOperationException($"No app setting is the {output} output of the {module} module.");
    }
}
