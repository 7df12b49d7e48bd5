using System.Text;
using Microsoft.Extensions.AI;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Core.Tests.Fakes;

/// <summary>
/// A fine-tuning service in memory: files, jobs that go through a scripted list of statuses (one per look), deployments
/// that become ready after a scripted number of looks, and a candidate model that answers as the test says.
/// </summary>
internal sealed class FakeFineTuningService : IFineTuningService
{
    public const string Model = "ft:gpt-4.1-mini:ragtune:abc123";

    private readonly Dictionary<string, Queue<string>> _statuses = new(StringComparer.Ordinal);

    public bool IsConfigured => true;

    /// <summary>The statuses a new job goes through, one per <see cref="GetJobAsync"/>.</summary>
    public List<string> JobScript { get; set; } = [FineTuningJob.Queued, FineTuningJob.Running, FineTuningJob.Succeeded];

    /// <summary>The error of a job whose script ends in <c>failed</c>.</summary>
    public TuningFailure? JobError { get; set; }

    /// <summary>How the candidate answers a prompt (its last message's text): by default, badly.</summary>
    public Func<string, string> Candidate { get; set; } = _ => "I do not know.";

    /// <summary>Looks a deployment needs before it is ready (0: ready at once, as on an OpenAI-compatible service where it is the model itself).</summary>
    public int DeploymentLooks { get; set; }

    /// <summary>Deployments are named as asked (Azure) instead of being the model itself (OpenAI-compatible).</summary>
    public bool NamedDeployments { get; set; }

    /// <summary>Thrown by the next upload (once).</summary>
    public Exception? UploadFailure { get; set; }

    /// <summary>Thrown by the next job creation (once) after the job was created: the response never arrives.</summary>
    public Exception? LoseCreateResponse { get; set; }

    /// <summary>Thrown by every call while set (a service throttling or down).</summary>
    public Exception? Outage { get; set; }

    public List<(string Name, string Text)> Uploads { get; } = [];

    public List<FineTuningJob> Jobs { get; } = [];

    public List<FineTuningJobRequest> JobRequests { get; } = [];

    public Dictionary<string, (string Model, DeploymentPurpose Purpose, int Looks)> Deployments { get; } = new(StringComparer.Ordinal);

    public List<string> Deleted { get; } = [];

    public List<string> CandidatePrompts { get; } = [];

    public Task<UploadedFile> UploadFileAsync(string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ThrowOnOutage();
        if (UploadFailure is { } failure)
        {
            UploadFailure = null;
            throw failure;
        }

        Uploads.Add((fileName, Encoding.UTF8.GetString(content.Span)));
        return Task.FromResult(new UploadedFile($"file-{Uploads.Count}", fileName, content.Length));
    }

    public Task<FineTuningJob> CreateJobAsync(FineTuningJobRequest request, CancellationToken cancellationToken = default)
    {
        ThrowOnOutage();
        JobRequests.Add(request);
        var job = new FineTuningJob($"ftjob-{Jobs.Count + 1}", FineTuningJob.ValidatingFiles, null, null, null, request.TrainingFileId, request.RunId);
        Jobs.Add(job);
        _statuses[job.Id] = new Queue<string>(JobScript);
        if (LoseCreateResponse is { } lost)
        {
            LoseCreateResponse = null;
            throw lost;
        }

        return Task.FromResult(job);
    }

    public Task<FineTuningJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ThrowOnOutage();
        var index = Jobs.FindIndex(j => j.Id == jobId);
        var queue = _statuses[jobId];
        var status = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
        var job = Jobs[index] with
        {
            Status = status,
            FineTunedModel = status == FineTuningJob.Succeeded ? Model : null,
            TrainedTokens = status == FineTuningJob.Succeeded ? 4_321 : null,
            Error = status == FineTuningJob.Failed ? JobError : null,
        };
        Jobs[index] = job;
        return Task.FromResult(job);
    }

    public Task<IReadOnlyList<FineTuningJob>> ListJobsAsync(CancellationToken cancellationToken = default)
    {
        ThrowOnOutage();
        return Task.FromResult<IReadOnlyList<FineTuningJob>>([.. Enumerable.Reverse(Jobs)]);
    }

    public Task<IReadOnlyList<FineTuningJobEvent>> ListEventsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ThrowOnOutage();
        var job = Jobs.Single(j => j.Id == jobId);
        return Task.FromResult<IReadOnlyList<FineTuningJobEvent>>([new FineTuningJobEvent(DateTimeOffset.UnixEpoch, "info", $"Job is {job.Status}.")]);
    }

    public Task<FineTuningJob> CancelJobAsync(string jobId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ModelDeployment> DeployAsync(string fineTunedModel, string name, DeploymentPurpose purpose, CancellationToken cancellationToken = default)
    {
        ThrowOnOutage();
        var key = NamedDeployments ? name : fineTunedModel;
        var looks = Deployments.TryGetValue(key, out var existing) ? existing.Looks + 1 : 1;
        Deployments[key] = (fineTunedModel, purpose, looks);
        return Task.FromResult(new ModelDeployment(key, looks > DeploymentLooks ? ModelDeployment.Ready : "Creating"));
    }

    public Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default)
    {
        Deleted.Add(name);
        return Task.CompletedTask;
    }

    public IChatClient GetChatClient(string deployment) => new AnswerChatClient(prompt =>
    {
        CandidatePrompts.Add(prompt);
        return Candidate(prompt);
    });

    private void ThrowOnOutage()
    {
        if (Outage is not null)
        {
            throw Outage;
        }
    }
}

/// <summary>A chat model that answers each prompt (its last message's text) with what a function says, reporting 10 tokens in and 5 out.</summary>
internal sealed class AnswerChatClient(Func<string, string> answer) : IChatClient
{
    public int Calls { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var text = answer(messages.Last().Text);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 } });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
