using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// What both hosts do with tuning runs: <c>ragtune tune</c> (start or resume the run of an export and a method),
/// <c>tune status</c>, <c>tune rollback</c>, and the auto-tune pass of <c>ragtune serve</c>'s schedule and the Functions
/// timer (go on with every unfinished run; with <see cref="TuningOptions.AutoTune"/>, start one for a new export).
/// </summary>
public sealed class TuningCoordinator(
    ITuningRunStore store,
    TuningRunner runner,
    IDatasetWriter exports,
    IFineTuningService service,
    ActiveChatModel activeModel,
    ChatModelProfile chatModel,
    IOptions<TuningOptions> options,
    IOptions<FineTuningOptions> datasets,
    TimeProvider time,
    ILogger<TuningCoordinator> logger)
{
    /// <summary>The word for the newest export (<c>--export latest</c>).</summary>
    public const string Latest = "latest";

    private readonly TuningOptions _options = options.Value;

    /// <summary>
    /// The run of an export (the newest export with files for <paramref name="method"/> when <paramref name="export"/>
    /// is null or <see cref="Latest"/>) and a method: found when it exists, created otherwise. Never a second one.
    /// </summary>
    public async Task<TuningRun> StartAsync(string? export, TuningMethod method, CancellationToken cancellationToken = default)
    {
        EnsureConfigured();
        var name = export is null or Latest ? await LatestExportAsync(method, cancellationToken) : export;
        if (!DatasetExportName.IsValid(name) || !(await exports.ListExportsAsync(cancellationToken)).Contains(name))
        {
            throw new TuningUnavailableException($"There is no export {name} in {exports.Location}.");
        }

        return await store.FindAsync(TuningRun.IdFor(name, method), cancellationToken)
            ?? await store.CreateAsync(TuningRun.Create(name, method, datasets.Value.BaseModel, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>Advances a run (see <see cref="TuningRunner.RunAsync"/>).</summary>
    public Task<TuningRun> RunAsync(TuningRun run, bool wait, CancellationToken cancellationToken = default)
    {
        EnsureConfigured();
        return runner.RunAsync(run, wait, cancellationToken);
    }

    /// <summary>
    /// One pass: every unfinished run goes on as far as it can without waiting; then, with auto-tune on and no run
    /// unfinished, a run starts for the newest export if it has files for <see cref="TuningOptions.Method"/> and no run yet.
    /// Returns the runs it touched.
    /// </summary>
    public async Task<IReadOnlyList<TuningRun>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!service.IsConfigured)
        {
            return [];
        }

        var touched = new List<TuningRun>();
        foreach (var run in (await store.ListAsync(cancellationToken)).Where(r => !r.IsTerminal).Reverse())
        {
            touched.Add(await runner.RunAsync(run, wait: false, cancellationToken));
        }

        if (!_options.AutoTune || touched.Any(r => !r.IsTerminal))
        {
            return touched;
        }

        var latest = await exports.ReadLatestManifestAsync(cancellationToken);
        if (latest is null || !HasFiles(latest, _options.Method)
            || await store.FindAsync(TuningRun.IdFor(latest.Name, _options.Method), cancellationToken) is not null)
        {
            return touched;
        }

        var started = await store.CreateAsync(TuningRun.Create(latest.Name, _options.Method, datasets.Value.BaseModel, time.GetUtcNow()), cancellationToken);
        Log.AutoTuneStarted(logger, started.RunId);
        touched.Add(await runner.RunAsync(started, wait: false, cancellationToken));
        return touched;
    }

    /// <summary>Every run, newest first, and the model answering now.</summary>
    public async Task<TuningStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var runs = await store.ListAsync(cancellationToken);
        var active = ActiveModel.From(await store.ReadModelChangesAsync(cancellationToken));
        return new TuningStatus([.. runs.Select(RunStatus.From)], active.Model ?? chatModel.ModelId, active.Since);
    }

    /// <summary>
    /// Makes the model active before the newest promotion in force the active model again; in Azure, the deployment of
    /// the model rolled back from is deleted (a deployed fine-tuned model is billed by the hour).
    /// </summary>
    public async Task<ActiveModel> RollBackAsync(CancellationToken cancellationToken = default)
    {
        var changes = await store.ReadModelChangesAsync(cancellationToken);
        var current = ActiveModel.From(changes);
        if (!current.CanRollBack)
        {
            throw new TuningUnavailableException($"No promotion is in force: the configured chat model ({chatModel.ModelId}) is active.");
        }

        var sequence = changes[^1].Sequence + 1;
        var back = ActiveModel.From([.. changes, new ModelChange(sequence, ModelChangeKind.RolledBack, current.Previous, null, null, time.GetUtcNow())]);
        await store.AppendModelChangeAsync(
            new ModelChange(sequence, ModelChangeKind.RolledBack, back.Model, back.FineTunedModel, back.RunId, time.GetUtcNow()), cancellationToken);
        activeModel.Invalidate();
        Log.RolledBack(logger, current.Model!, back.Model ?? chatModel.ModelId);
        if (service.IsConfigured && current.Model != current.FineTunedModel && current.Model != back.Model)
        {
            try
            {
                await service.DeleteDeploymentAsync(current.Model!, cancellationToken);
            }
            catch (RagtuneException exception)
            {
                Log.DeploymentNotDeleted(logger, exception, current.Model!);
            }
        }

        return back;
    }

    private async Task<string> LatestExportAsync(TuningMethod method, CancellationToken cancellationToken)
    {
        foreach (var name in (await exports.ListExportsAsync(cancellationToken)).Reverse())
        {
            var bytes = await exports.ReadFileAsync(name, DatasetManifest.FileName, cancellationToken);
            using var stream = new MemoryStream(bytes ?? []);
            if (bytes is not null && HasFiles(await DatasetManifest.ReadAsync(stream, cancellationToken), method))
            {
                return name;
            }
        }

        throw new TuningUnavailableException(
            $"No export in {exports.Location} has {method.Name()} files yet: rate more answers and export (at least {datasets.Value.MinTrainingExamples} training examples).");
    }

    private static bool HasFiles(DatasetManifest manifest, TuningMethod method) =>
        manifest.Datasets.TryGetValue(method.Name(), out var dataset) && dataset.Status == DatasetStatus.Complete;

    private void EnsureConfigured()
    {
        if (!service.IsConfigured)
        {
            throw new TuningUnavailableException(
                "No fine-tuning service is configured: set Ragtune:FineTuning:Provider (openai-compatible or azure-openai) and its Endpoint.");
        }
    }
}

/// <summary>A tuning command cannot be carried out as asked (no export, nothing to roll back, no service): the message says why.</summary>
public sealed class TuningUnavailableException(string message) : RagtuneException(message)
{
    public override bool IsTransient => false;
}

/// <summary>The body of <c>tune status --json</c>: every run, and the model answering now.</summary>
/// <param name="Runs">Newest first.</param>
/// <param name="ActiveModel">The model answering now (the configured one when no promotion is in force).</param>
/// <param name="ActiveSince">When it became active (null: it always was); shown by <c>tune status</c>, not in its JSON.</param>
public sealed record TuningStatus(
    IReadOnlyList<RunStatus> Runs,
    string ActiveModel,
    [property: System.Text.Json.Serialization.JsonIgnore] DateTimeOffset? ActiveSince);

/// <summary>One run as <c>tune status --json</c> shows it.</summary>
public sealed record RunStatus(
    string RunId, string Export, string? JobId, TuningState State, string? FineTunedModel, EvaluationSummary? Evaluation, TuningVerdict? Verdict)
{
    /// <summary>Why it ended without a verdict, or what last held it up (shown by <c>tune status</c>, not in its JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TuningFailure? Failure { get; init; }

    public static RunStatus From(TuningRun run) =>
        new(run.RunId, run.Export, run.JobId, run.State, run.FineTunedModel, run.Evaluation, run.Verdict) { Failure = run.Failure ?? run.LastError };
}
