using System.Text.Json.Nodes;
using Ragtune.Core.FineTuning;

namespace Ragtune.Infra.Tests;

/// <summary>
/// The models azd deploys by default: generally available versions with Global Standard deployments, chosen from Azure
/// OpenAI's model list and retirement schedule (README, Deploy to Azure, names the pages and dates).
/// </summary>
public sealed class ModelDeploymentTests
{
    [Theory]
    [InlineData("chat", "gpt-5.4-mini", "2026-03-17")] // GA; retires 2027-09-21 (schedule of 2026-09-02)
    [InlineData("embedding", "text-embedding-3-small", "1")] // GA; retires 2028-02-09
    public void Deployment_DefaultsToACurrentGenerallyAvailableModel_WithAGlobalStandardDeployment(string deployment, string model, string version)
    {
        var given = ArmExpression.Evaluate(MainTemplate.Json, MainTemplate.ModuleParameter("openai", deployment), new Dictionary<string, JsonNode?>())!;

        Assert.Equal(model, (string?)given["model"]);
        Assert.Equal(version, (string?)given["version"]);
        Assert.Equal("GlobalStandard", (string?)given["sku"]);
        Assert.Equal(deployment, (string?)given["name"]);
    }

    [Fact]
    public void RetiringModel_IsNoLongerTheDefault()
    {
        // gpt-4.1-mini 2025-04-14 is "Legacy" in the retirement schedule: still deployable, but not for new work.
        var chat = ArmExpression.Evaluate(MainTemplate.Json, MainTemplate.ModuleParameter("openai", "chat"), new Dictionary<string, JsonNode?>())!;

        Assert.NotEqual("gpt-4.1-mini", (string?)chat["model"]);
    }

    [Fact]
    public void FineTuneDatasets_AreForAModelAzureFineTunes_NotTheChatModel()
    {
        var baseModel = ArmExpression.Evaluate(MainTemplate.Json, JsonValue.Create(AppSettings.Compiled["Ragtune__FineTuning__BaseModel"]), new Dictionary<string, JsonNode?>());
        var chatModel = (string?)MainTemplate.Json["parameters"]?["chatModelName"]?["defaultValue"];

        Assert.Equal("[parameters('fineTuneBaseModel')]", AppSettings.Compiled["Ragtune__FineTuning__BaseModel"]);
        Assert.Equal(new FineTuningOptions().BaseModel, (string?)baseModel);
        Assert.NotEqual(chatModel, (string?)baseModel);
        Assert.Equal(FineTuneTarget.O200kModelLimit, FineTuneTarget.For((string)baseModel!).MaxTokensPerExample);
    }
}
