using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// Takes a run from where it is to where it can go: uploads the export's files, creates the job (once), follows it,
/// has the candidate deployed, runs the gate, and carries out the verdict. Each step is saved before the next is
/// taken, so a run resumed by another process (or after a crash) goes on from its last saved step; the job id is saved
/// the moment the service returns it, and a run that asked for a job whose id it never saved looks the job up by its
/// metadata and training file before asking again. A save that another writer overtook is read again, never forced.
/// </summary>
public sealed class TuningRunner(
    ITuningRunStore store,
    IFineTuningService service,
    IDatasetWriter exports,
    GateEvaluator evaluator,
    IChatClient chat,
    ChatModelProfile chatModel,
    ActiveChatModel activeModel,
    IOptions<TuningOptions> options,
    TimeProvider time,
    ILogger<TuningRunner> logger)
{
    private readonly TuningOptions _options = options.Value;

    /// <summary>
    /// Advances the run until it ends or has to wait for the service (a job training, a deployment being made); with
    /// <paramref name="wait"/>, waits for it (<see cref="TuningOptions.PollInterval"/>, or longer when the service asks)
    /// and goes on until the run ends.
    /// </summary>
    public async Task<TuningRun> RunAsync(TuningRun run, bool wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        while (!run.IsTerminal)
        {
            var (next, progressed, retryAfter) = await StepAsync(run, cancellationToken);
            run = next;
            if (progressed || run.IsTerminal)
            {
                continue;
            }

            if (!wait)
            {
                break;
            }

            await Task.Delay(WaitBeforeNextLook(retryAfter, _options.PollInterval), time, cancellationToken);
        }

        return run;
    }

    /// <summary>How long a run that has to wait waits: the poll interval, or longer when the service asked for longer.</summary>
    public static TimeSpan WaitBeforeNextLook(TimeSpan? retryAfter, TimeSpan pollInterval) =>
        retryAfter is { } asked && asked > pollInterval ? asked : pollInterval;

    /// <summary>One step: the run as saved after it, whether it moved on, and how long the service asked to wait.</summary>
    private async Task<(TuningRun Run, bool Progressed, TimeSpan? RetryAfter)> StepAsync(TuningRun run, CancellationToken cancellationToken)
    {
        try
        {
            var next = run.State switch
            {
                TuningState.Created => await UploadAsync(run, cancellationToken),
                TuningState.FilesUploaded => await CreateJobAsync(run, cancellationToken),
                TuningState.JobCreated or TuningState.JobRunning => await FollowJobAsync(run, cancellationToken),
                TuningState.JobSucceeded => await DeployCandidateAsync(run, cancellationToken),
                TuningState.Evaluating => await EvaluateAsync(run, cancellationToken),
                _ => run,
            };
            if (next.State != run.State)
            {
                Log.Moved(logger, run.RunId, run.State, next.State);
            }

            // A step that saved something moved the run on; one that saved nothing waits for the service.
            return (next, next.Revision != run.Revision, null);
        }
        catch (TuningRunConflictException)
        {
            Log.Conflict(logger, run.RunId);
            return (await store.FindAsync(run.RunId, cancellationToken) ?? run, true, null);
        }
        catch (FineTuningRequestRejectedException exception)
        {
            Log.Failed(logger, run.RunId, exception.Failure.Code);
            return (await SaveAsync(run.Failed(exception.Failure, time.GetUtcNow()), cancellationToken), true, null);
        }
        catch (DependencyUnavailableException exception)
        {
            var code = $"{exception.Dependency}_{exception.Failure}".ToLowerInvariant();
            Log.Interrupted(logger, exception, run.RunId, code, run.State);
            var interrupted = run.Interrupted(new TuningFailure(code, exception.Message), time.GetUtcNow());
            return (await SaveAsync(interrupted, cancellationToken), false, exception.RetryAfter);
        }
    }

    private async Task<TuningRun> UploadAsync(TuningRun run, CancellationToken cancellationToken)
    {
        var manifest = await ReadManifestAsync(run.Export, cancellationToken);
        if (!manifest.Datasets.TryGetValue(run.Method.Name(), out var dataset) || dataset.Status != DatasetStatus.Complete)
        {
            return await SaveAsync(run.Failed(new TuningFailure(
                "dataset_insufficient",
                $"Export {run.Export} has no {run.Method.Name()} files: fewer than {manifest.MinTrainingExamples} training examples."), time.GetUtcNow()), cancellationToken);
        }

        if (dataset.Validation < _options.Gate.MinExamples)
        {
            // Nothing could be promoted: say so now instead of paying for a job whose candidate the gate cannot judge.
            var result = TuningGate.Decide([], _options.Gate) with
            {
                Summary = new EvaluationSummary(dataset.Validation, 0, 0, 0, [0, 0]),
            };
            var (_, activeName) = await ActiveAsync(cancellationToken);
            await WriteReportAsync(run, result, new GateEvaluation([], ChatTokens.None, ChatTokens.None, ChatTokens.None), activeName, cancellationToken);
            Log.Judged(logger, run.RunId, result.Verdict, dataset.Validation, 0, 0, 0);
            return await SaveAsync(run.DecidedBeforeTraining(result, time.GetUtcNow()), cancellationToken);
        }

        var training = await UploadFileAsync(run, run.Method.TrainingFile(), cancellationToken);
        var validation = await UploadFileAsync(run, run.Method.ValidationFile(), cancellationToken);
        return await SaveAsync(run.FilesUploaded(training, validation, time.GetUtcNow()), cancellationToken);
    }

    private async Task<string> UploadFileAsync(TuningRun run, string fileName, CancellationToken cancellationToken)
    {
        var content = await exports.ReadFileAsync(run.Export, fileName, cancellationToken)
            ?? throw new InvalidDataException($"Export {run.Export} lists {fileName} but it cannot be read.");
        return (await service.UploadFileAsync($"{run.Export}.{fileName}", content, cancellationToken)).Id;
    }

    private async Task<TuningRun> CreateJobAsync(TuningRun run, CancellationToken cancellationToken)
    {
        if (run.JobRequestedAt is not null)
        {
            // Asked for a job before and never saved its id (stopped in between): the job may exist.
            var jobs = await service.ListJobsAsync(cancellationToken);
            if (jobs.FirstOrDefault(job => job.BelongsTo(run)) is { } found)
            {
                Log.JobFound(logger, run.RunId, found.Id);
                return await SaveAsync(run.JobCreated(found, time.GetUtcNow()), cancellationToken);
            }

            if (time.GetUtcNow() - run.JobRequestedAt < _options.JobRequestTimeout)
            {
                // The request may still be on its way (another host is creating the job): look again later.
                return run;
            }

            Log.JobNotFound(logger, run.RunId);
        }

        // Saved first: of two hosts advancing the run at once, only the one whose save lands asks for the job.
        run = await SaveAsync(run.JobRequested(time.GetUtcNow()), cancellationToken);
        var job = await service.CreateJobAsync(
            new FineTuningJobRequest(run.RunId, run.BaseModel, run.Method, run.TrainingFileId!, run.ValidationFileId), cancellationToken);
        Log.JobCreated(logger, run.RunId, job.Id, run.BaseModel);
        return await SaveAsync(run.JobCreated(job, time.GetUtcNow()), cancellationToken);
    }

    private async Task<TuningRun> FollowJobAsync(TuningRun run, CancellationToken cancellationToken)
    {
        var job = await service.GetJobAsync(run.JobId!, cancellationToken);
        var events = await service.ListEventsAsync(run.JobId!, cancellationToken);
        var observed = run.JobObserved(job, events, time.GetUtcNow());
        if (observed.State == run.State && observed.JobStatus == run.JobStatus && observed.Events.SequenceEqual(run.Events) && run.LastError is null)
        {
            return run;
        }

        if (observed.Failure is { } failure)
        {
            Log.Failed(logger, run.RunId, failure.Code);
        }

        return await SaveAsync(observed, cancellationToken);
    }

    private async Task<TuningRun> DeployCandidateAsync(TuningRun run, CancellationToken cancellationToken)
    {
        var name = run.CandidateDeployment ?? $"{run.RunId}-eval";
        if (run.CandidateDeployment is null)
        {
            run = await SaveAsync(run.CandidateDeploying(name, time.GetUtcNow()), cancellationToken);
        }

        var deployment = await service.DeployAsync(run.FineTunedModel!, name, DeploymentPurpose.Evaluation, cancellationToken);
        return deployment.IsReady ? await SaveAsync(run.EvaluationStarted(deployment.Name, time.GetUtcNow()), cancellationToken)
            : deployment.HasFailed ? await FailDeploymentAsync(run, deployment, cancellationToken)
            : run;
    }

    private async Task<TuningRun> EvaluateAsync(TuningRun run, CancellationToken cancellationToken)
    {
        if (run.Verdict is null)
        {
            var bytes = await exports.ReadFileAsync(run.Export, run.Method.ValidationFile(), cancellationToken) ?? [];
            var examples = ValidationExample.Read(bytes, run.Method);
            var (active, activeName) = await ActiveAsync(cancellationToken);
            var evaluation = await evaluator.EvaluateAsync(examples, active, service.GetChatClient(run.CandidateDeployment!), cancellationToken);
            var result = TuningGate.Decide(evaluation.Scores, _options.Gate);
            await WriteReportAsync(run, result, evaluation, activeName, cancellationToken);
            Log.Judged(logger, run.RunId, result.Verdict, result.Summary.Examples, result.Summary.Difference, result.Summary.Ci95[0], result.Summary.Ci95[1]);
            return await SaveAsync(run.Judged(result, time.GetUtcNow()), cancellationToken);
        }

        if (run.Verdict != TuningVerdict.Promoted)
        {
            await DeleteDeploymentAsync(run.CandidateDeployment, run.FineTunedModel, cancellationToken);
            return await SaveAsync(run.Decided(time.GetUtcNow()), cancellationToken);
        }

        var name = run.ServingDeployment ?? run.RunId;
        if (run.ServingDeployment is null)
        {
            run = await SaveAsync(run.ServingDeploying(name, time.GetUtcNow()), cancellationToken);
        }

        var serving = await service.DeployAsync(run.FineTunedModel!, name, DeploymentPurpose.Serving, cancellationToken);
        if (serving.HasFailed)
        {
            return await FailDeploymentAsync(run, serving, cancellationToken);
        }

        if (!serving.IsReady)
        {
            return run;
        }

        await PromoteAsync(run with { ServingDeployment = serving.Name }, cancellationToken);
        if (run.CandidateDeployment != serving.Name)
        {
            await DeleteDeploymentAsync(run.CandidateDeployment, run.FineTunedModel, cancellationToken);
        }

        return await SaveAsync(run.Decided(time.GetUtcNow()) with { ServingDeployment = serving.Name }, cancellationToken);
    }

    /// <summary>Makes the run's model the active one, unless a resumed run did so already.</summary>
    private async Task PromoteAsync(TuningRun run, CancellationToken cancellationToken)
    {
        var changes = await store.ReadModelChangesAsync(cancellationToken);
        if (changes.Count > 0 && changes[^1] is { Kind: ModelChangeKind.Promoted } last && last.RunId == run.RunId)
        {
            return;
        }

        var sequence = changes.Count == 0 ? 1 : changes[^1].Sequence + 1;
        await store.AppendModelChangeAsync(
            new ModelChange(sequence, ModelChangeKind.Promoted, run.ServingDeployment, run.FineTunedModel, run.RunId, time.GetUtcNow()), cancellationToken);
        activeModel.Invalidate();
        Log.Promoted(logger, run.ServingDeployment!, run.RunId);
    }

    /// <summary>The chat client of the active model (through the host's chat pipeline) and its name.</summary>
    private async Task<(IChatClient Client, string Name)> ActiveAsync(CancellationToken cancellationToken) =>
        chat.GetService<ActiveModelChatClient>() is { } selector
            ? (chat, (await selector.SelectAsync(cancellationToken)).Model)
            : (chat, chatModel.ModelId);

    private async Task WriteReportAsync(TuningRun run, GateResult result, GateEvaluation evaluation, string activeName, CancellationToken cancellationToken)
    {
        var report = new TuningReport(
            run.RunId,
            run.Export,
            run.Method,
            run.JobId,
            run.FineTunedModel,
            activeName,
            time.GetUtcNow(),
            GateSettings.From(_options.Gate),
            result.Summary,
            result.Verdict,
            new TokensSpent(run.TrainedTokens, evaluation.Active, evaluation.Candidate, evaluation.Judge),
            evaluation.Examples);
        await exports.WriteFileAsync(run.Export, run.Method.ReportFile(), report.ToUtf8Bytes(), cancellationToken);
    }

    private async Task<TuningRun> FailDeploymentAsync(TuningRun run, ModelDeployment deployment, CancellationToken cancellationToken)
    {
        await DeleteDeploymentAsync(run.CandidateDeployment, run.FineTunedModel, cancellationToken);
        var failure = new TuningFailure("deployment_failed", $"The deployment {deployment.Name} of {run.FineTunedModel} ended {deployment.State}.");
        Log.Failed(logger, run.RunId, failure.Code);
        return await SaveAsync(run.Failed(failure, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>Removes a deployment the run made (never the model itself: an OpenAI-compatible "deployment" is the model's id, and removing it does nothing).</summary>
    private async Task DeleteDeploymentAsync(string? deployment, string? fineTunedModel, CancellationToken cancellationToken)
    {
        if (deployment is null || deployment == fineTunedModel)
        {
            return;
        }

        try
        {
            await service.DeleteDeploymentAsync(deployment, cancellationToken);
        }
        catch (RagtuneException exception)
        {
            Log.DeploymentNotDeleted(logger, exception, deployment);
        }
    }

    private async Task<DatasetManifest> ReadManifestAsync(string export, CancellationToken cancellationToken)
    {
        var bytes = await exports.ReadFileAsync(export, DatasetManifest.FileName, cancellationToken)
            ?? throw new InvalidDataException($"There is no export {export} in {exports.Location}.");
        using var stream = new MemoryStream(bytes);
        return await DatasetManifest.ReadAsync(stream, cancellationToken);
    }

    private Task<TuningRun> SaveAsync(TuningRun run, CancellationToken cancellationToken) => store.UpdateAsync(run, cancellationToken);
}
