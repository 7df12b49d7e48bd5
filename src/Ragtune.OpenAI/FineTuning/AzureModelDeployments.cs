using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.OpenAI.FineTuning;

/// <summary>
/// Deployments of fine-tuned models on an Azure OpenAI resource, through Azure Resource Manager's REST API (no
/// management SDK for Cognitive Services is used): <c>PUT .../accounts/{account}/deployments/{name}</c> with the model
/// (format <c>OpenAI</c>, the fine-tuned model's id, version 1) and the SKU of the purpose, then its
/// <c>provisioningState</c>, asked again until it is <c>Succeeded</c>; <c>DELETE</c> to remove it.
/// </summary>
internal sealed class AzureModelDeployments(FineTuningHttp management, AzureDeploymentOptions options)
{
    /// <summary>The deployment's state: made when it does not exist yet, reported as it is when it does.</summary>
    public async Task<ModelDeployment> DeployAsync(string fineTunedModel, string name, DeploymentPurpose purpose, CancellationToken cancellationToken)
    {
        var existing = await management.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url(name)), cancellationToken, notFoundIsNull: true);
        if (existing is { } found)
        {
            return new ModelDeployment(name, State(found));
        }

        var body = new JsonObject
        {
            ["sku"] = new JsonObject { ["name"] = purpose == DeploymentPurpose.Evaluation ? options.EvaluationSku : options.ServingSku, ["capacity"] = options.Capacity },
            ["properties"] = new JsonObject { ["model"] = new JsonObject { ["format"] = "OpenAI", ["name"] = fineTunedModel, ["version"] = "1" } },
            ["tags"] = new JsonObject { ["ragtune"] = purpose == DeploymentPurpose.Evaluation ? "evaluation" : "serving" },
        };
        var created = await management.SendAsync(() => new HttpRequestMessage(HttpMethod.Put, Url(name)) { Content = JsonContent.Create(body) }, cancellationToken);
        return new ModelDeployment(name, created is { } response ? State(response) : "Accepted");
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await management.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, Url(name)), cancellationToken, notFoundIsNull: true);

    private Uri Url(string name) => new(
        options.ManagementEndpoint,
        $"subscriptions/{Uri.EscapeDataString(options.SubscriptionId!)}/resourceGroups/{Uri.EscapeDataString(options.ResourceGroup!)}"
        + $"/providers/Microsoft.CognitiveServices/accounts/{Uri.EscapeDataString(options.Account!)}/deployments/{Uri.EscapeDataString(name)}"
        + $"?api-version={Uri.EscapeDataString(options.ApiVersion)}");

    private static string State(JsonElement deployment) =>
        deployment.TryGetProperty("properties", out var properties) && properties.TryGetProperty("provisioningState", out var state) && state.ValueKind == JsonValueKind.String
            ? state.GetString()!
            : "Accepted";
}
