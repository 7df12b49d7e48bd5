namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// One fine-tuning run: an export and a method, trained once, evaluated once, decided once. Its id derives from both
/// (<see cref="IdFor"/>), so starting a run for the same export and method again finds this one. Every step is kept in
/// the store before the next is taken; the transitions below are the only ways a run changes, and each refuses to be
/// taken from a state it does not follow.
/// </summary>
/// <param name="RunId"><c>{export}-{method}</c>.</param>
/// <param name="Export">The export's name (<c>{yyyyMMddTHHmmssZ}-{exportId}</c>).</param>
/// <param name="Method">SFT or DPO.</param>
/// <param name="BaseModel">The model fine-tuned.</param>
/// <param name="State">Where the run is.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Revision">The store's version of the record: a save that finds another revision is refused.</param>
public sealed record TuningRun(
    string RunId,
    string Export,
    TuningMethod Method,
    string BaseModel,
    TuningState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Revision = 0)
{
    /// <summary>The most job events a run keeps (the latest ones).</summary>
    public const int MaxEvents = 20;

    /// <summary>The uploaded training file.</summary>
    public string? TrainingFileId { get; init; }

    /// <summary>The uploaded validation file (none when the export has no validation examples).</summary>
    public string? ValidationFileId { get; init; }

    /// <summary>
    /// When the request to create the job was about to be sent. Set (and saved) before the request goes out, so a run
    /// resumed with this set and no <see cref="JobId"/> looks for its job before creating one.
    /// </summary>
    public DateTimeOffset? JobRequestedAt { get; init; }

    public string? JobId { get; init; }

    /// <summary>The service's status of the job (<c>validating_files</c>, <c>queued</c>, <c>running</c>, ...).</summary>
    public string? JobStatus { get; init; }

    /// <summary>The job's latest events, oldest first (at most <see cref="MaxEvents"/>).</summary>
    public IReadOnlyList<FineTuningJobEvent> Events { get; init; } = [];

    public string? FineTunedModel { get; init; }

    /// <summary>Tokens the job trained on (billed).</summary>
    public long? TrainedTokens { get; init; }

    /// <summary>The candidate's deployment for the gate (the model id itself on an OpenAI-compatible service).</summary>
    public string? CandidateDeployment { get; init; }

    /// <summary>The deployment that serves the promoted model (Azure), or the model id.</summary>
    public string? ServingDeployment { get; init; }

    /// <summary>The gate's figures, once evaluated.</summary>
    public EvaluationSummary? Evaluation { get; init; }

    public TuningVerdict? Verdict { get; init; }

    /// <summary>Why the run ended without a verdict (job failed, file rejected, deployment failed).</summary>
    public TuningFailure? Failure { get; init; }

    /// <summary>The last transient failure met (throttling, an outage); the run goes on from where it was.</summary>
    public TuningFailure? LastError { get; init; }

    public static string IdFor(string export, TuningMethod method) => $"{export}-{method.Name()}";

    public static TuningRun Create(string export, TuningMethod method, string baseModel, DateTimeOffset now) =>
        new(IdFor(export, method), export, method, baseModel, TuningState.Created, now, now);

    public bool IsTerminal => State.IsTerminal();

    public TuningRun FilesUploaded(string trainingFileId, string? validationFileId, DateTimeOffset now) =>
        Move([TuningState.Created], TuningState.FilesUploaded, now) with { TrainingFileId = trainingFileId, ValidationFileId = validationFileId };

    /// <summary>The job is about to be requested (saved before the request goes out).</summary>
    public TuningRun JobRequested(DateTimeOffset now) =>
        Move([TuningState.FilesUploaded], TuningState.FilesUploaded, now) with { JobRequestedAt = now };

    /// <summary>The job exists (just created, or found again): from here on the run follows it.</summary>
    public TuningRun JobCreated(FineTuningJob job, DateTimeOffset now) =>
        Move([TuningState.FilesUploaded], TuningState.JobCreated, now) with { JobId = job.Id, JobStatus = job.Status };

    /// <summary>The job's latest status and events: still running, or ended (succeeded, failed, cancelled).</summary>
    public TuningRun JobObserved(FineTuningJob job, IReadOnlyList<FineTuningJobEvent> events, DateTimeOffset now)
    {
        var next = job.Status switch
        {
            FineTuningJob.Succeeded => TuningState.JobSucceeded,
            FineTuningJob.Failed => TuningState.JobFailed,
            FineTuningJob.Cancelled => TuningState.JobCancelled,
            _ => TuningState.JobRunning,
        };
        var failure = next switch
        {
            TuningState.JobFailed => job.Error ?? new TuningFailure("job_failed", "The fine-tuning job failed without a reason."),
            TuningState.JobCancelled => new TuningFailure("job_cancelled", "The fine-tuning job was cancelled."),
            _ => null,
        };
        return Move([TuningState.JobCreated, TuningState.JobRunning], next, now) with
        {
            JobStatus = job.Status,
            FineTunedModel = job.FineTunedModel ?? FineTunedModel,
            TrainedTokens = job.TrainedTokens ?? TrainedTokens,
            Events = events.Count == 0 ? Events : [.. events.TakeLast(MaxEvents)],
            Failure = failure,
        };
    }

    /// <summary>The candidate's deployment is being made (kept so that a resumed run asks after the same one).</summary>
    public TuningRun CandidateDeploying(string deployment, DateTimeOffset now) =>
        Move([TuningState.JobSucceeded], TuningState.JobSucceeded, now) with { CandidateDeployment = deployment };

    /// <summary>The candidate answers: the gate may compare it.</summary>
    public TuningRun EvaluationStarted(string deployment, DateTimeOffset now) =>
        Move([TuningState.JobSucceeded], TuningState.Evaluating, now) with { CandidateDeployment = deployment };

    /// <summary>The gate decided (kept before anything is done about it: a resumed run acts on the same verdict).</summary>
    public TuningRun Judged(GateResult result, DateTimeOffset now) =>
        Move([TuningState.Evaluating], TuningState.Evaluating, now) with { Evaluation = result.Summary, Verdict = result.Verdict };

    /// <summary>The promoted model's serving deployment is being made.</summary>
    public TuningRun ServingDeploying(string deployment, DateTimeOffset now) =>
        Verdict == TuningVerdict.Promoted
            ? Move([TuningState.Evaluating], TuningState.Evaluating, now) with { ServingDeployment = deployment }
            : throw new InvalidOperationException($"Run {RunId} was not promoted by its gate.");

    /// <summary>The verdict is carried out: the run ends promoted (its model active), rejected, or without enough evidence.</summary>
    public TuningRun Decided(DateTimeOffset now) =>
        Verdict is { } verdict
            ? Move([TuningState.Evaluating], verdict.ToState(), now)
            : throw new InvalidOperationException($"Run {RunId} has no verdict yet.");

    /// <summary>The gate decided before training: too few validation examples to ever tell the models apart.</summary>
    public TuningRun DecidedBeforeTraining(GateResult result, DateTimeOffset now) =>
        Move([TuningState.Created], TuningState.InsufficientEvidence, now) with { Evaluation = result.Summary, Verdict = result.Verdict };

    /// <summary>The run cannot go on: ends it as failed, with the reason.</summary>
    public TuningRun Failed(TuningFailure failure, DateTimeOffset now) =>
        IsTerminal
            ? throw new InvalidOperationException($"Run {RunId} has ended ({State}); it cannot fail now.")
            : this with { State = TuningState.Failed, Failure = failure, UpdatedAt = now };

    /// <summary>A transient failure met on the way (the run stays where it is and is tried again later).</summary>
    public TuningRun Interrupted(TuningFailure error, DateTimeOffset now) => this with { LastError = error, UpdatedAt = now };

    private TuningRun Move(TuningState[] from, TuningState to, DateTimeOffset now) =>
        from.Contains(State)
            ? this with { State = to, UpdatedAt = now, LastError = null }
            : throw new InvalidOperationException($"Run {RunId} is {State}: it cannot become {to} from there.");
}
