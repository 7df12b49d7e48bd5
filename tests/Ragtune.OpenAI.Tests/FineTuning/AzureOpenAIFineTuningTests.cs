using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.OpenAI.FineTuning;
using Ragtune.OpenAI.Tests.Chat;
using Ragtune.Testing.Loopback;

namespace Ragtune.OpenAI.Tests.FineTuning;

/// <summary>
/// The azure-openai fine-tuning client: the data plane at the resource's <c>/openai/v1</c> with Microsoft Entra ID, and
/// the fine-tuned model's deployments through Azure Resource Manager, as a loopback stand-in for both receives them.
/// </summary>
public sealed class AzureOpenAIFineTuningTests : IAsyncLifetime, IDisposable
{
    private readonly FixedTokenCredential _credential = new("entra-token");
    private LoopbackFineTuningService _service = null!;
    private OpenAIFineTuningService _client = null!;

    public async Task InitializeAsync()
    {
        _service = await LoopbackFineTuningService.StartAsync();
        _client = new OpenAIFineTuningService(
            Options.Create(new FineTuningServiceOptions
            {
                Provider = FineTuningServiceOptions.AzureOpenAI,
                Endpoint = _service.AzureEndpoint,
                Timeout = TimeSpan.FromSeconds(10),
                MaxRetries = 1,
                Azure = new AzureDeploymentOptions
                {
                    SubscriptionId = "sub-1",
                    ResourceGroup = "rg-ragtune",
                    Account = "aoai-ragtune",
                    ManagementEndpoint = _service.AzureEndpoint,
                },
            }),
            TimeProvider.System,
            _credential);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Upload_GoesToTheResourcesV1Files_WithAnEntraTokenForCognitiveServices()
    {
        await _client.UploadFileAsync("t.jsonl", "{}\n"u8.ToArray());

        var request = Assert.Single(_service.Server.Requests);
        Assert.Equal("/openai/v1/files", request.Path);
        Assert.Equal("Bearer entra-token", request.Header("Authorization"));
        Assert.Equal(["https://cognitiveservices.azure.com/.default"], Assert.Single(_credential.RequestedScopes));
    }

    [Fact]
    public async Task CreateJob_SendsNoMetadata_TheJobIsFoundByItsTrainingFile()
    {
        var training = await _client.UploadFileAsync("t.jsonl", "{}\n"u8.ToArray());

        var job = await _client.CreateJobAsync(new FineTuningJobRequest("run-1", "gpt-4.1-mini", TuningMethod.Sft, training.Id, null));

        Assert.Equal("/openai/v1/fine_tuning/jobs", _service.Server.Requests[^1].Path);
        Assert.False(_service.Server.Requests[^1].Json.TryGetProperty("metadata", out _));
        var run = TuningRun.Create("20261127T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1E", TuningMethod.Sft, "gpt-4.1-mini", DateTimeOffset.UnixEpoch)
            .FilesUploaded(training.Id, null, DateTimeOffset.UnixEpoch);
        Assert.True(Assert.Single(await _client.ListJobsAsync()).BelongsTo(run));
        Assert.Equal(job.Id, (await _client.ListJobsAsync())[0].Id);
    }

    [Fact]
    public async Task Deploy_PutsTheFineTunedModelThroughResourceManager_AndReportsItsProvisioningState()
    {
        _service.DeploymentLooks = 1;

        var first = await _client.DeployAsync(LoopbackFineTuningService.FineTunedModel, "run-eval", DeploymentPurpose.Evaluation);
        var second = await _client.DeployAsync(LoopbackFineTuningService.FineTunedModel, "run-eval", DeploymentPurpose.Evaluation);
        var third = await _client.DeployAsync(LoopbackFineTuningService.FineTunedModel, "run-eval", DeploymentPurpose.Evaluation);

        Assert.Equal(["Creating", "Creating", "Succeeded"], new[] { first, second, third }.Select(d => d.State));
        var put = Assert.Single(_service.Server.Requests, r => r.Method == "PUT");
        Assert.Equal("/subscriptions/sub-1/resourceGroups/rg-ragtune/providers/Microsoft.CognitiveServices/accounts/aoai-ragtune/deployments/run-eval", put.Path);
        Assert.Equal("2024-10-01", put.Query["api-version"]);
        Assert.Equal("Bearer entra-token", put.Header("Authorization"));
        var body = put.Json;
        Assert.Equal("DeveloperTier", body.GetProperty("sku").GetProperty("name").GetString());
        var model = body.GetProperty("properties").GetProperty("model");
        Assert.Equal(("OpenAI", LoopbackFineTuningService.FineTunedModel, "1"), (model.GetProperty("format").GetString(), model.GetProperty("name").GetString(), model.GetProperty("version").GetString()));
        // Resource Manager's scope is its endpoint's /.default (https://management.azure.com/.default in Azure).
        Assert.Contains([$"{_service.AzureEndpoint}.default"], _credential.RequestedScopes);
    }

    [Fact]
    public async Task Deploy_ForServing_UsesTheServingSku()
    {
        await _client.DeployAsync(LoopbackFineTuningService.FineTunedModel, "run", DeploymentPurpose.Serving);

        Assert.Equal((LoopbackFineTuningService.FineTunedModel, "Standard"), _service.Deployments["run"]);
    }

    [Fact]
    public async Task DeleteDeployment_RemovesIt_AndOneGoneAlreadyIsNoError()
    {
        await _client.DeployAsync(LoopbackFineTuningService.FineTunedModel, "run-eval", DeploymentPurpose.Evaluation);

        await _client.DeleteDeploymentAsync("run-eval");
        await _client.DeleteDeploymentAsync("run-eval");

        Assert.Empty(_service.Deployments);
        Assert.Equal(2, _service.Server.Requests.Count(r => r.Method == "DELETE"));
    }

    [Fact]
    public async Task ChatClient_AsksTheDeploymentOnTheResource()
    {
        _service.Answer = (deployment, _) => $"answered by {deployment}";

        var response = await _client.GetChatClient("run-eval").GetResponseAsync([new ChatMessage(ChatRole.User, "How long?")]);

        Assert.Equal("answered by run-eval", response.Text);
        Assert.Equal("/openai/deployments/run-eval/chat/completions", _service.Server.Requests[^1].Path);
    }
}
