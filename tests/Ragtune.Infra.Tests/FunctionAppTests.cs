using System.Text.Json.Nodes;

namespace Ragtune.Infra.Tests;

/// <summary>The function app: Flex Consumption, .NET 10 isolated, deployed and run as the user-assigned identity.</summary>
public sealed class FunctionAppTests
{
    private static JsonObject Site => MainTemplate.Single("Microsoft.Web/sites");

    private static JsonObject Config => Site["properties"]?["functionAppConfig"]?.AsObject()
        ?? throw new InvalidOperationException("The function app has no functionAppConfig.");

    [Fact]
    public void Plan_IsFlexConsumption()
    {
        var plan = MainTemplate.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.True(plan["properties"]?["reserved"]?.GetValue<bool>());
    }

    [Fact]
    public void App_RunsDotnetIsolated10_OverHttpsOnly()
    {
        Assert.Equal("functionapp,linux", (string?)Site["kind"]);
        Assert.Equal("dotnet-isolated", (string?)Config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)Config["runtime"]?["version"]);
        Assert.True(Site["properties"]?["httpsOnly"]?.GetValue<bool>());
    }

    [Fact]
    public void App_RunsAsTheUserAssignedIdentity_AndDeploysWithIt()
    {
        Assert.Equal("UserAssigned", (string?)Site["identity"]?["type"]);
        Assert.Equal(["[format('{0}', parameters('identityId'))]"], Site["identity"]?["userAssignedIdentities"]?.AsObject().Select(pair => pair.Key) ?? []);

        var storage = Config["deployment"]?["storage"];
        Assert.Equal("blobContainer", (string?)storage?["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage?["authentication"]?["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)storage?["authentication"]?["userAssignedIdentityResourceId"]);
        Assert.Contains("outputs.id.value", (string?)MainTemplate.ModuleParameter(AppSettings.FunctionAppModule, "identityId"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("instanceMemoryMB", "functionInstanceMemoryMB", 2048)]
    [InlineData("maximumInstanceCount", "functionMaximumInstanceCount", 100)]
    public void Scale_ComesFromAParameterOfMainBicep(string setting, string parameter, int defaultValue)
    {
        Assert.Equal($"[parameters('{setting}')]", (string?)Config["scaleAndConcurrency"]?[setting]);
        Assert.Equal($"[parameters('{parameter}')]", (string?)MainTemplate.ModuleParameter(AppSettings.FunctionAppModule, setting));
        Assert.Equal(defaultValue, MainTemplate.Json["parameters"]?[parameter]?["defaultValue"]?.GetValue<int>());
    }

    [Fact]
    public void Cors_AllowsTheOriginsOfTheParameter()
    {
        Assert.Equal("[parameters('corsAllowedOrigins')]", (string?)Site["properties"]?["siteConfig"]?["cors"]?["allowedOrigins"]);
        Assert.Contains("parameters('corsAllowedOrigins')", (string?)MainTemplate.ModuleParameter(AppSettings.FunctionAppModule, "corsAllowedOrigins"), StringComparison.Ordinal);

        var parameters = JsonNode.Parse(File.ReadAllText(InfraFiles.MainParameters));
        Assert.Equal("${RAGTUNE_CORS_ORIGINS}", (string?)parameters?["parameters"]?["corsAllowedOrigins"]?["value"]);
    }

    [Fact]
    public void AppSettings_AreTheSettingsMainBicepGives()
    {
        var settingsResource = MainTemplate.Single("Microsoft.Web/sites/config");

        Assert.Equal("[format('{0}/{1}', parameters('name'), 'appsettings')]", (string?)settingsResource["name"]);
        Assert.Equal("[union(parameters('appSettings'), parameters('optionalAppSettings'))]", (string?)settingsResource["properties"]);
        Assert.Contains("Ragtune__Chat__Provider", AppSettings.Compiled.Keys);
    }
}
