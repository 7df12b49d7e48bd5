using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.OpenAI.FineTuning;
using Ragtune.Testing.Loopback;

namespace Ragtune.OpenAI.Tests.FineTuning;

/// <summary>The openai-compatible fine-tuning client, as a service with OpenAI's files and fine-tuning jobs API receives it.</summary>
public sealed class OpenAICompatibleFineTuningTests : IAsyncLifetime, IDisposable
{
    private const string RunId = "20261127T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1E-sft";

    private LoopbackFineTuningService _service = null!;
    private OpenAIFineTuningService _client = null!;

    public async Task InitializeAsync()
    {
        _service = await LoopbackFineTuningService.StartAsync();
        _client = Client(maxRetries: 2);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Upload_IsMultipartWithPurposeFineTune_TheFileNameAndTheBytes_AndTheBearerKey()
    {
        var jsonl = "\uFEFF{\"messages\":[]}\n";

        var file = await _client.UploadFileAsync("export.sft.train.jsonl", Encoding.UTF8.GetBytes(jsonl));

        var request = Assert.Single(_service.Server.Requests);
        Assert.Equal(("POST", "/v1/files"), (request.Method, request.Path));
        Assert.Equal("Bearer sk-test", request.Header("Authorization"));
        var parts = Multipart.Parse(request.Body, request.Header("Content-Type")!);
        Assert.Equal("fine-tune", parts["purpose"].Content);
        Assert.Equal(("export.sft.train.jsonl", jsonl), parts["file"]);
        Assert.Equal(("export.sft.train.jsonl", jsonl), _service.Files[file.Id]);
    }

    [Fact]
    public async Task CreateJob_SendsTheModelFilesMethodSuffixAndTheRunInItsMetadata()
    {
        var training = await _client.UploadFileAsync("t.jsonl", "{}\n"u8.ToArray());
        var validation = await _client.UploadFileAsync("v.jsonl", "{}\n"u8.ToArray());

        var job = await _client.CreateJobAsync(new FineTuningJobRequest(RunId, "gpt-4.1-mini", TuningMethod.Dpo, training.Id, validation.Id));

        var body = _service.Server.Requests[^1].Json;
        Assert.Equal("/v1/fine_tuning/jobs", _service.Server.Requests[^1].Path);
        Assert.Equal("gpt-4.1-mini", body.GetProperty("model").GetString());
        Assert.Equal((training.Id, validation.Id), (body.GetProperty("training_file").GetString(), body.GetProperty("validation_file").GetString()));
        Assert.Equal("dpo", body.GetProperty("method").GetProperty("type").GetString());
        Assert.Equal("ragtune", body.GetProperty("suffix").GetString());
        Assert.Equal(RunId, body.GetProperty("metadata").GetProperty("ragtune_run").GetString());
        Assert.Equal((FineTuningJob.ValidatingFiles, training.Id, RunId), (job.Status, job.TrainingFileId, job.RunId));
    }

    [Fact]
    public async Task GetJob_FollowsTheStatuses_ToTheFineTunedModelAndItsTokens()
    {
        var job = await CreateJobAsync();

        var statuses = new List<string>();
        FineTuningJob seen;
        do
        {
            seen = await _client.GetJobAsync(job.Id);
            statuses.Add(seen.Status);
        }
        while (seen.Status != FineTuningJob.Succeeded);

        Assert.Equal([FineTuningJob.Queued, FineTuningJob.Running, FineTuningJob.Succeeded], statuses);
        Assert.Equal((LoopbackFineTuningService.FineTunedModel, (long?)12_345), (seen.FineTunedModel, seen.TrainedTokens));
        var events = await _client.ListEventsAsync(job.Id);
        Assert.Equal(["Job is validating_files.", "Job is queued.", "Job is running.", "Job is succeeded."], events.Select(e => e.Message));
        Assert.Equal($"/v1/fine_tuning/jobs/{job.Id}/events", _service.Server.Requests[^1].Path);
    }

    [Fact]
    public async Task GetJob_Failed_CarriesTheServicesCodeAndMessage()
    {
        _service.JobScript = ["running", "failed"];
        var job = await CreateJobAsync();

        await _client.GetJobAsync(job.Id);
        var failed = await _client.GetJobAsync(job.Id);

        Assert.Equal(FineTuningJob.Failed, failed.Status);
        Assert.Equal(new TuningFailure("invalid_training_file", "The training file has an example with no assistant message."), failed.Error);
    }

    [Fact]
    public async Task ListJobs_FindsAJobByItsRun()
    {
        await CreateJobAsync();

        var jobs = await _client.ListJobsAsync();

        var job = Assert.Single(jobs);
        Assert.Equal(RunId, job.RunId);
        Assert.Equal("100", _service.Server.Requests[^1].Query["limit"]);
    }

    [Fact]
    public async Task Cancel_PostsToTheJobsCancel()
    {
        var job = await CreateJobAsync();

        var cancelled = await _client.CancelJobAsync(job.Id);

        Assert.Equal(FineTuningJob.Cancelled, cancelled.Status);
        Assert.Equal(("POST", $"/v1/fine_tuning/jobs/{job.Id}/cancel"), (_service.Server.Requests[^1].Method, _service.Server.Requests[^1].Path));
    }

    [Fact]
    public async Task Upload_TheServiceRejects_IsARefusalWithItsCode_NotRetried()
    {
        _service.RejectUploads = ("invalid_file_format", "Line 1 is not JSON.");

        var error = await Assert.ThrowsAsync<FineTuningRequestRejectedException>(() => _client.UploadFileAsync("t.jsonl", "x"u8.ToArray()));

        Assert.Equal((400, new TuningFailure("invalid_file_format", "Line 1 is not JSON.")), (error.Status, error.Failure));
        Assert.Single(_service.Server.Requests);
    }

    [Fact]
    public async Task Throttled_WaitsAsLongAsRetryAfterSays_ThenGoesOn()
    {
        _service.Throttle(2, TimeSpan.FromSeconds(1));

        var file = await _client.UploadFileAsync("t.jsonl", "{}\n"u8.ToArray());

        var requests = _service.Server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), $"{requests[1].ReceivedAt - requests[0].ReceivedAt}");
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt >= TimeSpan.FromSeconds(0.9), $"{requests[2].ReceivedAt - requests[1].ReceivedAt}");
        Assert.StartsWith("file-", file.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThrottledPastTheRetries_IsTransient_WithTheServicesWait()
    {
        _service.Throttle(3, TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => _client.UploadFileAsync("t.jsonl", "{}\n"u8.ToArray()));

        Assert.Equal((DependencyFailure.Throttled, TimeSpan.FromSeconds(1)), (error.Failure, error.RetryAfter));
        Assert.Equal(3, _service.Server.Requests.Count);
    }

    [Fact]
    public async Task ThrottledForLongerThanTheLongestWait_EndsAtOnce_WithTheServicesWait()
    {
        _service.Throttle(1, TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => _client.UploadFileAsync("t.jsonl", "{}\n"u8.ToArray()));

        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
        Assert.Single(_service.Server.Requests);
    }

    [Fact]
    public async Task Deploy_OnAnOpenAICompatibleService_IsTheModelItself_Ready()
    {
        var deployment = await _client.DeployAsync(LoopbackFineTuningService.FineTunedModel, "any-name", DeploymentPurpose.Evaluation);

        Assert.Equal(new ModelDeployment(LoopbackFineTuningService.FineTunedModel, ModelDeployment.Ready), deployment);
        Assert.Empty(_service.Server.Requests);
    }

    [Fact]
    public async Task ChatClient_AsksTheFineTunedModelByItsId()
    {
        _service.Answer = (model, _) => $"answered by {model}";

        var response = await _client.GetChatClient(LoopbackFineTuningService.FineTunedModel).GetResponseAsync([new ChatMessage(ChatRole.User, "How long?")]);

        Assert.Equal($"answered by {LoopbackFineTuningService.FineTunedModel}", response.Text);
        Assert.Equal([LoopbackFineTuningService.FineTunedModel], _service.ChatModels());
        Assert.Equal("/v1/chat/completions", _service.Server.Requests[^1].Path);
    }

    private async Task<FineTuningJob> CreateJobAsync()
    {
        var training = await _client.UploadFileAsync("t.jsonl", "{}\n"u8.ToArray());
        return await _client.CreateJobAsync(new FineTuningJobRequest(RunId, "gpt-4.1-mini", TuningMethod.Sft, training.Id, null));
    }

    private OpenAIFineTuningService Client(int maxRetries) => new(
        Options.Create(new FineTuningServiceOptions
        {
            Provider = FineTuningServiceOptions.OpenAICompatible,
            Endpoint = _service.OpenAIBase,
            ApiKey = "sk-test",
            Timeout = TimeSpan.FromSeconds(10),
            MaxRetries = maxRetries,
            MaxRetryDelay = TimeSpan.FromSeconds(5),
        }),
        TimeProvider.System);
}
