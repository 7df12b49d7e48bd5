using System.Text.Json.Serialization;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// Where a tuning run is: created, then its files uploaded, its job created and followed to its end; a job that
/// succeeded is evaluated against the active model, and the gate's verdict ends the run. A run ends in exactly one of
/// the terminal states, each with its reason.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TuningState>))]
public enum TuningState
{
    /// <summary>The run exists; nothing has been sent to the fine-tuning service.</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>The training (and validation) files are uploaded; the job is not created yet.</summary>
    [JsonStringEnumMemberName("files-uploaded")]
    FilesUploaded,

    /// <summary>The job was created; its id is kept.</summary>
    [JsonStringEnumMemberName("job-created")]
    JobCreated,

    /// <summary>The job is validating its files, queued or training (<see cref="TuningRun.JobStatus"/> says which).</summary>
    [JsonStringEnumMemberName("job-running")]
    JobRunning,

    /// <summary>The job succeeded: the fine-tuned model exists and waits to be evaluated (deployed first, in Azure).</summary>
    [JsonStringEnumMemberName("job-succeeded")]
    JobSucceeded,

    /// <summary>The candidate is ready to answer; the gate compares it with the active model.</summary>
    [JsonStringEnumMemberName("evaluating")]
    Evaluating,

    /// <summary>Terminal: the job failed (the service's reason is kept).</summary>
    [JsonStringEnumMemberName("job-failed")]
    JobFailed,

    /// <summary>Terminal: the job was cancelled.</summary>
    [JsonStringEnumMemberName("job-cancelled")]
    JobCancelled,

    /// <summary>Terminal: the candidate won the gate and is the active model.</summary>
    [JsonStringEnumMemberName("promoted")]
    Promoted,

    /// <summary>Terminal: the candidate did not win the gate; nothing changed.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>Terminal: too few validation examples to tell the models apart; nothing changed.</summary>
    [JsonStringEnumMemberName("insufficient-evidence")]
    InsufficientEvidence,

    /// <summary>Terminal: the run could not go on (a file the service rejected, a deployment that failed).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>The gate's decision on a candidate.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TuningVerdict>))]
public enum TuningVerdict
{
    /// <summary>It answered the validation prompts better, by at least the minimum, with the interval above zero.</summary>
    [JsonStringEnumMemberName("promoted")]
    Promoted,

    /// <summary>It did not answer them clearly better.</summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,

    /// <summary>There were too few validation examples to decide.</summary>
    [JsonStringEnumMemberName("insufficient-evidence")]
    InsufficientEvidence,
}

/// <summary>Which states end a run.</summary>
public static class TuningStates
{
    public static bool IsTerminal(this TuningState state) => state is TuningState.JobFailed or TuningState.JobCancelled
        or TuningState.Promoted or TuningState.Rejected or TuningState.InsufficientEvidence or TuningState.Failed;

    /// <summary>The terminal state of a verdict.</summary>
    public static TuningState ToState(this TuningVerdict verdict) => verdict switch
    {
        TuningVerdict.Promoted => TuningState.Promoted,
        TuningVerdict.Rejected => TuningState.Rejected,
        _ => TuningState.InsufficientEvidence,
    };
}
