using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.OpenAI.FineTuning;

namespace Ragtune.Infra.Tests;

/// <summary>
/// Auto-tune (<c>azd env set RAGTUNE_AUTO_TUNE true</c>, off by default: training costs money): only then does the
/// function app get the fine-tuning service's settings and its identity the roles fine-tuning and deploying need.
/// </summary>
public sealed class AutoTuneTests
{
    private const string TuningRoles = "tuning-roles";

    [Fact]
    public void ByDefault_TheAppGetsNoFineTuningService_AndNoTuningRoles()
    {
        Assert.False((bool?)MainTemplate.Json["parameters"]?["fineTuneAutoTune"]?["defaultValue"]);
        Assert.Empty(OptionalSettings(new()));
        Assert.DoesNotContain(AppSettings.Compiled.Keys, name => name is "Ragtune__FineTuning__AutoTune" or "Ragtune__FineTuning__Provider");
        Assert.Equal("[parameters('fineTuneAutoTune')]", (string?)MainTemplate.Module(TuningRoles)["condition"]);
    }

    [Fact]
    public void WithAutoTune_TheAppTunesOnItsOwnAzureOpenAIAccount()
    {
        var settings = OptionalSettings(new() { ["fineTuneAutoTune"] = true, ["environmentName"] = "dev", ["location"] = "swedencentral" });

        Assert.Equal(("true", "azure-openai"), ((string?)settings["Ragtune__FineTuning__AutoTune"], (string?)settings["Ragtune__FineTuning__Provider"]));
        var account = (string?)settings["Ragtune__FineTuning__Azure__Account"];
        Assert.StartsWith("oai-", account, StringComparison.Ordinal);
        Assert.Equal($"https://{account}.openai.azure.com/", (string?)settings["Ragtune__FineTuning__Endpoint"]);
        Assert.Equal(ArmExpression.SubscriptionId, (string?)settings["Ragtune__FineTuning__Azure__SubscriptionId"]);
        Assert.Equal("rg-dev", (string?)settings["Ragtune__FineTuning__Azure__ResourceGroup"]);
    }

    [Fact]
    public void WithAutoTune_AndSignIn_TheAppGetsBoth()
    {
        var settings = OptionalSettings(new() { ["fineTuneAutoTune"] = true, ["environmentName"] = "dev", ["location"] = "swedencentral", ["auth"] = "entra", ["authClientId"] = "11111111-2222-3333-4444-555555555555" });

        Assert.Equal(AppSettings.AutoTune.Count + AppSettings.SignIn.Count, settings.Count);
    }

    [Fact]
    public void TuningRoles_AreTheOpenAIContributorAndCognitiveServicesContributor_OnTheAccountOnly_ForTheAppIdentity()
    {
        Assert.Equal(["a001fd3d-188f-4b5d-821b-7da978bf7442", "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68"], RoleIds("openAiRoleIds"));
        Assert.Empty(RoleIds("storageRoleIds"));
        Assert.Empty(RoleIds("searchRoleIds"));
        Assert.Equal("ServicePrincipal", (string?)MainTemplate.ModuleParameter(TuningRoles, "principalType"));
        Assert.Equal(MainTemplate.ModuleParameter("app-roles", "principalId")?.ToJsonString(), MainTemplate.ModuleParameter(TuningRoles, "principalId")?.ToJsonString());
    }

    [Fact]
    public void AutoTuneSettings_StartTheApp_WithTheAzureFineTuningServiceConfigured()
    {
        var settings = OptionalSettings(new() { ["fineTuneAutoTune"] = true, ["environmentName"] = "dev", ["location"] = "swedencentral" });
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(pair => KeyValuePair.Create(AppSettings.ToConfigurationKey(pair.Key), (string?)pair.Value)))
            .Build();
        using var provider = FunctionsAppOptions.Build(configuration);

        var service = (FineTuningServiceOptions)FunctionsAppOptions.Create(provider, typeof(FineTuningServiceOptions));
        var tuning = (TuningOptions)FunctionsAppOptions.Create(provider, typeof(TuningOptions));
        Assert.True(tuning.AutoTune);
        Assert.Equal((FineTuningServiceOptions.AzureOpenAI, (string?)settings["Ragtune__FineTuning__Azure__Account"]), (service.Provider, service.Azure.Account));
        Assert.Equal(new Uri((string)settings["Ragtune__FineTuning__Endpoint"]!), service.Endpoint);
    }

    private static JsonObject OptionalSettings(Dictionary<string, JsonNode?> parameters) =>
        ArmExpression.Evaluate(MainTemplate.Json, MainTemplate.Module(AppSettings.FunctionAppModule)["properties"]?["parameters"]?["optionalAppSettings"], parameters)?["value"]?.AsObject()
        ?? throw new InvalidOperationException("The function app module is given no optionalAppSettings.");

    private static List<string> RoleIds(string parameter) =>
        MainTemplate.Module(TuningRoles)["properties"]?["parameters"]?[parameter]?["value"] is JsonArray ids
            ? ids.Select(id => MainTemplate.RoleDefinitionId((string)id!)).ToList()
            : [];
}
