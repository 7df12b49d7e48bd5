using Microsoft.Extensions.AI;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// A fine-tuning service with the OpenAI files and fine-tuning jobs API: an OpenAI-compatible endpoint, or Azure OpenAI
/// (whose fine-tuned models are then deployed before they answer). Implemented in Ragtune.OpenAI.
/// </summary>
/// <remarks>
/// Transient failures (429 and 5xx past the retry budget, timeouts) come out as <see cref="DependencyUnavailableException"/>
/// with the service's Retry-After; a request the service refuses for good (a file it rejects, a model it does not
/// fine-tune, no quota) as <see cref="FineTuningRequestRejectedException"/> with the service's code and message.
/// </remarks>
public interface IFineTuningService
{
    /// <summary>True when <c>Ragtune:FineTuning:Provider</c> is set: the other members may be called.</summary>
    bool IsConfigured { get; }

    /// <summary>Uploads a JSONL file with purpose <c>fine-tune</c>.</summary>
    Task<UploadedFile> UploadFileAsync(string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Creates a fine-tuning job; the job carries the run's id in its metadata, so that it can be found again.</summary>
    Task<FineTuningJob> CreateJobAsync(FineTuningJobRequest request, CancellationToken cancellationToken = default);

    Task<FineTuningJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>The most recent jobs, newest first (to find a run's job whose id was never saved).</summary>
    Task<IReadOnlyList<FineTuningJob>> ListJobsAsync(CancellationToken cancellationToken = default);

    /// <summary>The job's most recent events, oldest first.</summary>
    Task<IReadOnlyList<FineTuningJobEvent>> ListEventsAsync(string jobId, CancellationToken cancellationToken = default);

    Task<FineTuningJob> CancelJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a fine-tuned model answerable under <paramref name="name"/> for <paramref name="purpose"/> and returns where
    /// that stands; called again with the same name, it reports on the same deployment (an idempotent create). An
    /// OpenAI-compatible service answers by the model's id at once: its deployment is the model itself, ready.
    /// </summary>
    Task<ModelDeployment> DeployAsync(string fineTunedModel, string name, DeploymentPurpose purpose, CancellationToken cancellationToken = default);

    /// <summary>Removes a deployment made by <see cref="DeployAsync"/> (one that is gone already is not an error).</summary>
    Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A chat client that asks a fine-tuned model, by the name <see cref="DeployAsync"/> returned.</summary>
    IChatClient GetChatClient(string deployment);
}

/// <summary>A file the service holds.</summary>
public sealed record UploadedFile(string Id, string FileName, long Bytes);

/// <summary>What a fine-tuning job is asked to do.</summary>
/// <param name="RunId">The run the job belongs to, sent as metadata (<c>ragtune_run</c>).</param>
/// <param name="BaseModel">The model to fine-tune.</param>
/// <param name="Method">Supervised or DPO.</param>
/// <param name="TrainingFileId">The uploaded training file.</param>
/// <param name="ValidationFileId">The uploaded validation file, if any.</param>
public sealed record FineTuningJobRequest(string RunId, string BaseModel, TuningMethod Method, string TrainingFileId, string? ValidationFileId);

/// <summary>A fine-tuning job as the service reports it.</summary>
/// <param name="Id">The job's id (<c>ftjob-...</c>).</param>
/// <param name="Status"><c>validating_files</c>, <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="FineTunedModel">The model it made, once it succeeded.</param>
/// <param name="TrainedTokens">Billable tokens it trained on, once known.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="TrainingFileId">Its training file.</param>
/// <param name="RunId">The run named in its metadata, if any.</param>
public sealed record FineTuningJob(string Id, string Status, string? FineTunedModel, long? TrainedTokens, TuningFailure? Error, string TrainingFileId, string? RunId)
{
    public const string ValidatingFiles = "validating_files";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>Whether this job is the run's: named in its metadata, or trained on the file the run uploaded.</summary>
    public bool BelongsTo(TuningRun run) => RunId == run.RunId || (run.TrainingFileId is not null && TrainingFileId == run.TrainingFileId);
}

/// <summary>One event of a job (<c>fine_tuning.job.event</c>).</summary>
public sealed record FineTuningJobEvent(DateTimeOffset CreatedAt, string Level, string Message);

/// <summary>What a deployment of a fine-tuned model is for.</summary>
public enum DeploymentPurpose
{
    /// <summary>The candidate answering the gate's prompts (Azure: a Developer Tier deployment, billed per token only).</summary>
    Evaluation,

    /// <summary>The promoted model answering everyone (Azure: a Standard deployment, billed per hour).</summary>
    Serving,
}

/// <summary>A deployment of a fine-tuned model.</summary>
/// <param name="Name">The name to call it by (Azure: the deployment's name; OpenAI-compatible: the model's id).</param>
/// <param name="State"><c>Succeeded</c> when it answers; <c>Creating</c>, <c>Accepted</c> while it is provisioned; <c>Failed</c> or <c>Canceled</c> when it never will.</param>
public sealed record ModelDeployment(string Name, string State)
{
    public const string Ready = "Succeeded";

    public bool IsReady => string.Equals(State, Ready, StringComparison.OrdinalIgnoreCase);

    public bool HasFailed => State.Equals("Failed", StringComparison.OrdinalIgnoreCase) || State.Equals("Canceled", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A failure with the service's code and message (or Ragtune's own, for failures of its own).</summary>
public sealed record TuningFailure(string Code, string Message);

/// <summary>The fine-tuning service refused a request for good: retrying the same request will not help.</summary>
public sealed class FineTuningRequestRejectedException(int status, TuningFailure failure, Exception? innerException = null)
    : RagtuneException($"The fine-tuning service refused the request ({status} {failure.Code}): {failure.Message}", innerException)
{
    public int Status { get; } = status;

    public TuningFailure Failure { get; } = failure;

    public override bool IsTransient => false;
}
