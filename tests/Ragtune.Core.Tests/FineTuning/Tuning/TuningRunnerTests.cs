using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Tests.Fakes;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

/// <summary>A run from an export to its verdict, against a fake fine-tuning service: what it sends, saves and decides.</summary>
public sealed class TuningRunnerTests : IDisposable
{
    private readonly TuningSetup _setup = new();

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task Run_BetterCandidate_IsPromoted_AndTheNextAnswerComesFromIt()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.Candidate = TuningSetup.AnswersWell;

        var run = await RunToEndAsync(export);

        Assert.Equal(TuningState.Promoted, run.State);
        Assert.Equal(TuningVerdict.Promoted, run.Verdict);
        Assert.Equal(FakeFineTuningService.Model, run.FineTunedModel);
        Assert.True(run.Evaluation!.Ci95[0] > 0, $"interval {run.Evaluation.Ci95[0]}..{run.Evaluation.Ci95[1]}");
        Assert.Equal(FakeFineTuningService.Model, await _setup.AnsweringModelAsync());
        var change = Assert.Single(await _setup.Store.ReadModelChangesAsync());
        Assert.Equal((ModelChangeKind.Promoted, run.RunId), (change.Kind, change.RunId));
    }

    [Fact]
    public async Task Run_UploadsTheExportsTrainingAndValidationFiles_AndCreatesOneJobOnTheBaseModel()
    {
        var export = await _setup.ExportAsync();

        var run = await RunToEndAsync(export);

        Assert.Equal([$"{export}.sft.train.jsonl", $"{export}.sft.valid.jsonl"], _setup.Service.Uploads.Select(u => u.Name));
        var files = _setup.Exports.Committed.Single().Files;
        Assert.Equal([System.Text.Encoding.UTF8.GetString(files["sft.train.jsonl"]), System.Text.Encoding.UTF8.GetString(files["sft.valid.jsonl"])], _setup.Service.Uploads.Select(u => u.Text));
        var request = Assert.Single(_setup.Service.JobRequests);
        Assert.Equal(new FineTuningJobRequest(run.RunId, "gpt-4.1-mini", TuningMethod.Sft, "file-1", "file-2"), request);
        Assert.Equal("ftjob-1", run.JobId);
        Assert.Equal(4_321, run.TrainedTokens);
    }

    [Fact]
    public async Task Run_WorseCandidate_IsRejected_AndTheActiveModelStays()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.Candidate = _ => "I do not know.";

        var run = await RunToEndAsync(export);

        Assert.Equal(TuningState.Rejected, run.State);
        Assert.True(run.Evaluation!.Difference < 0);
        Assert.Empty(await _setup.Store.ReadModelChangesAsync());
        Assert.Equal(TuningSetup.ActiveModelId, await _setup.AnsweringModelAsync());
    }

    [Fact]
    public async Task Run_SavesAReportBesideTheExport_WithEveryExampleBothAnswersAndTheTokensSpent()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.Candidate = TuningSetup.AnswersWell;

        var run = await RunToEndAsync(export);

        var report = _setup.Report(run);
        Assert.Equal(run.Evaluation!.Examples, report.Examples.Count);
        Assert.Equal(_setup.Exports.Committed.Single().Manifest!.Datasets["sft"].Validation, report.Examples.Count);
        Assert.Equal(run.Evaluation, report.Evaluation);
        Assert.All(report.Examples, e => Assert.Equal(e.Reference, e.CandidateAnswer));
        Assert.All(report.Examples, e => Assert.Equal("The answer is in the documents.", e.ActiveAnswer));
        Assert.Equal(new ChatTokens(10L * report.Examples.Count, 5L * report.Examples.Count), report.Tokens.Candidate);
        Assert.Equal(report.Tokens.Candidate, report.Tokens.Active);
        Assert.Equal(4_321, report.Tokens.Training);
        Assert.Equal((TuningGate.Resamples, TuningGate.Seed), (report.Gate.Resamples, report.Gate.Seed));
    }

    [Fact]
    public async Task Run_AsksBothModelsTheValidationPromptsExactlyAsRecorded()
    {
        var export = await _setup.ExportAsync();

        await RunToEndAsync(export);

        var valid = System.Text.Encoding.UTF8.GetString(_setup.Exports.Committed.Single().Files["sft.valid.jsonl"]);
        var prompts = ValidationExample.Read(System.Text.Encoding.UTF8.GetBytes(valid), TuningMethod.Sft).Select(e => e.Prompt[^1].Text).ToList();
        Assert.Equal(prompts, _setup.Service.CandidatePrompts);
        Assert.Equal(prompts.Count, _setup.Active.Calls);
    }

    [Fact]
    public async Task Run_TooFewValidationExamples_IsInsufficientEvidence_AndTrainsNothing()
    {
        using var setup = new TuningSetup(minExamples: 1_000);
        var export = await setup.ExportAsync();

        var run = await setup.Runner().RunAsync(await setup.Coordinator().StartAsync(export, TuningMethod.Sft), wait: false);

        Assert.Equal(TuningState.InsufficientEvidence, run.State);
        Assert.Equal(TuningVerdict.InsufficientEvidence, run.Verdict);
        Assert.Empty(setup.Service.Uploads);
        Assert.Empty(setup.Service.Jobs);
        Assert.Equal(setup.Exports.Committed.Single().Manifest!.Datasets["sft"].Validation, setup.Report(run).Evaluation.Examples);
    }

    [Fact]
    public async Task Run_JobFailed_EndsWithTheServicesReason_AndChangesNothing()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.JobScript = [FineTuningJob.Running, FineTuningJob.Failed];
        _setup.Service.JobError = new TuningFailure("invalid_training_file", "Line 3 has no assistant message.");

        var run = await RunToEndAsync(export);

        Assert.Equal(TuningState.JobFailed, run.State);
        Assert.Equal(new TuningFailure("invalid_training_file", "Line 3 has no assistant message."), run.Failure);
        Assert.Null(run.Verdict);
        Assert.Empty(await _setup.Store.ReadModelChangesAsync());
        Assert.Empty(_setup.Service.CandidatePrompts);
    }

    [Fact]
    public async Task Run_FileTheServiceRejects_EndsFailedWithItsReason_AndCreatesNoJob()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.UploadFailure = new FineTuningRequestRejectedException(400, new TuningFailure("invalid_file_format", "The file is not JSONL."));

        var run = await RunToEndAsync(export);

        Assert.Equal(TuningState.Failed, run.State);
        Assert.Equal("invalid_file_format", run.Failure!.Code);
        Assert.Empty(_setup.Service.Jobs);
    }

    [Fact]
    public async Task Run_KilledBetweenCreatingTheJobAndSavingItsId_ResumesWithTheSameJob()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.LoseCreateResponse = new IOException("The process was killed.");
        var run = await _setup.Coordinator().StartAsync(export, TuningMethod.Sft);

        await Assert.ThrowsAsync<IOException>(() => _setup.Runner().RunAsync(run, wait: false));
        var resumed = await RunToEndAsync(export);

        Assert.Single(_setup.Service.Jobs);
        Assert.Equal("ftjob-1", resumed.JobId);
        Assert.NotEqual(TuningState.Failed, resumed.State);
        Assert.True(resumed.IsTerminal);
    }

    [Fact]
    public async Task Run_WhileAnotherHostsJobRequestMayStillBeOnItsWay_WaitsInsteadOfAskingAgain()
    {
        var export = await _setup.ExportAsync();
        var run = await _setup.Coordinator().StartAsync(export, TuningMethod.Sft);
        run = await _setup.Store.UpdateAsync(run.FilesUploaded("file-1", "file-2", _setup.Time.GetUtcNow()));
        run = await _setup.Store.UpdateAsync(run.JobRequested(_setup.Time.GetUtcNow()));

        var waiting = await _setup.Runner().RunAsync(run, wait: false);
        _setup.Time.Advance(_setup.Options.JobRequestTimeout);
        var asked = await _setup.Runner().RunAsync(waiting, wait: false);

        Assert.Equal((TuningState.FilesUploaded, (string?)null), (waiting.State, waiting.JobId));
        Assert.Single(_setup.Service.Jobs);
        Assert.Equal("ftjob-1", asked.JobId);
    }

    [Fact]
    public async Task Start_TheSameExportAndMethodAgain_FindsTheSameRun()
    {
        var export = await _setup.ExportAsync();
        var first = await RunToEndAsync(export);

        var again = await _setup.Coordinator().StartAsync(null, TuningMethod.Sft);
        var ended = await _setup.Runner().RunAsync(again, wait: false);

        Assert.Equal(first.RunId, again.RunId);
        Assert.Equal(first.State, ended.State);
        Assert.Single(_setup.Service.Jobs);
    }

    [Fact]
    public async Task Run_ServiceThrottling_KeepsTheRunWhereItWas_WithTheReason_AndGoesOnLater()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.Outage = new DependencyUnavailableException("fine-tuning", DependencyFailure.Throttled, TimeSpan.FromSeconds(30));
        var run = await _setup.Coordinator().StartAsync(export, TuningMethod.Sft);

        var held = await _setup.Runner().RunAsync(run, wait: false);

        Assert.Equal(TuningState.Created, held.State);
        Assert.Equal("fine-tuning_throttled", held.LastError!.Code);
        _setup.Service.Outage = null;
        var ended = await RunToEndAsync(export);
        Assert.True(ended.IsTerminal);
        Assert.Null(ended.LastError);
    }

    [Theory]
    [InlineData(null, 60)]
    [InlineData(30, 60)]
    [InlineData(300, 300)]
    public void WaitBeforeTheNextLook_IsThePollInterval_OrLongerWhenTheServiceAsks(int? retryAfterSeconds, int expectedSeconds)
    {
        var retryAfter = retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), TuningRunner.WaitBeforeNextLook(retryAfter, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Run_OnAService_WithDeployments_EvaluatesADeploymentAndDeletesItOnceTheModelServes()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.NamedDeployments = true;
        _setup.Service.DeploymentLooks = 2;
        _setup.Service.Candidate = TuningSetup.AnswersWell;

        var run = await RunToEndAsync(export);

        Assert.Equal(TuningState.Promoted, run.State);
        Assert.Equal($"{run.RunId}-eval", run.CandidateDeployment);
        Assert.Equal(run.RunId, run.ServingDeployment);
        Assert.Equal(DeploymentPurpose.Evaluation, _setup.Service.Deployments[$"{run.RunId}-eval"].Purpose);
        Assert.Equal(DeploymentPurpose.Serving, _setup.Service.Deployments[run.RunId].Purpose);
        Assert.Equal([$"{run.RunId}-eval"], _setup.Service.Deleted);
        Assert.Equal(run.RunId, await _setup.AnsweringModelAsync());
    }

    [Fact]
    public async Task Run_OnAService_WithDeployments_DeletesARejectedCandidatesDeployment()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.NamedDeployments = true;

        var run = await RunToEndAsync(export);

        Assert.Equal(TuningState.Rejected, run.State);
        Assert.Equal([$"{run.RunId}-eval"], _setup.Service.Deleted);
        Assert.DoesNotContain(run.RunId, _setup.Service.Deployments.Keys);
    }

    /// <summary>Starts (or finds) the export's SFT run and advances it, as repeated polls would, until it ends.</summary>
    private async Task<TuningRun> RunToEndAsync(string export)
    {
        var run = await _setup.Coordinator().StartAsync(export, TuningMethod.Sft);
        for (var poll = 0; poll < 20 && !run.IsTerminal; poll++)
        {
            run = await _setup.Runner().RunAsync(run, wait: false);
        }

        Assert.True(run.IsTerminal, $"the run is still {run.State}");
        return run;
    }
}
