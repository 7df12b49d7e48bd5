using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Tests.Fakes;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

/// <summary>Starting, listing, rolling back, and the auto-tune pass the hosts' schedules run.</summary>
public sealed class TuningCoordinatorTests : IDisposable
{
    private readonly TuningSetup _setup = new();

    public void Dispose() => _setup.Dispose();

    [Fact]
    public async Task RollBack_AfterAPromotion_MakesTheConfiguredModelAnswerAgain()
    {
        await PromoteAsync();
        var coordinator = _setup.Coordinator();

        var back = await coordinator.RollBackAsync();

        Assert.Null(back.Model);
        Assert.Equal(TuningSetup.ActiveModelId, await _setup.AnsweringModelAsync());
        Assert.Equal(TuningSetup.ActiveModelId, (await coordinator.GetStatusAsync()).ActiveModel);
        await Assert.ThrowsAsync<TuningUnavailableException>(() => coordinator.RollBackAsync());
    }

    [Fact]
    public async Task RollBack_OnAServiceWithDeployments_DeletesTheDeploymentRolledBackFrom()
    {
        _setup.Service.NamedDeployments = true;
        var run = await PromoteAsync();

        await _setup.Coordinator().RollBackAsync();

        Assert.Contains(run.RunId, _setup.Service.Deleted);
    }

    [Fact]
    public async Task Status_ListsRunsWithTheirVerdicts_AndTheActiveModel()
    {
        var run = await PromoteAsync();

        var status = await _setup.Coordinator().GetStatusAsync();

        var listed = Assert.Single(status.Runs);
        Assert.Equal((run.RunId, run.Export, "ftjob-1", TuningState.Promoted, TuningVerdict.Promoted), (listed.RunId, listed.Export, listed.JobId, listed.State, listed.Verdict));
        Assert.Equal(run.Evaluation, listed.Evaluation);
        Assert.Equal(FakeFineTuningService.Model, status.ActiveModel);
        Assert.Equal(_setup.Time.GetUtcNow(), status.ActiveSince);
    }

    [Fact]
    public async Task Start_WithoutAnExportThatHasFiles_SaysSo()
    {
        var error = await Assert.ThrowsAsync<TuningUnavailableException>(() => _setup.Coordinator().StartAsync(null, TuningMethod.Dpo));

        Assert.Contains("No export", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_WithAutoTuneOff_StartsNothing()
    {
        await _setup.ExportAsync();

        Assert.Empty(await _setup.Coordinator().RunOnceAsync());
        Assert.Empty(await _setup.Store.ListAsync());
    }

    [Fact]
    public async Task RunOnce_WithAutoTuneOn_StartsOneRunForTheNewExport_AndNoSecondOne()
    {
        var export = await _setup.ExportAsync();
        _setup.Options.AutoTune = true;
        _setup.Service.Candidate = TuningSetup.AnswersWell;

        var first = await _setup.Coordinator().RunOnceAsync();
        var second = await _setup.Coordinator().RunOnceAsync();

        var run = Assert.Single(first);
        Assert.Equal(TuningRun.IdFor(export, TuningMethod.Sft), run.RunId);
        Assert.Equal(TuningState.Promoted, run.State);
        Assert.Empty(second);
        Assert.Single(_setup.Service.Jobs);
    }

    [Fact]
    public async Task RunOnce_GoesOnWithARunStartedElsewhere_EvenWithAutoTuneOff()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.JobScript = [FineTuningJob.Running, FineTuningJob.Running, FineTuningJob.Succeeded];
        var started = await _setup.Runner().RunAsync(await _setup.Coordinator().StartAsync(export, TuningMethod.Sft), wait: false);
        Assert.Equal(TuningState.JobRunning, started.State);

        var touched = await _setup.Coordinator().RunOnceAsync();

        Assert.True(Assert.Single(touched).IsTerminal);
    }

    private async Task<TuningRun> PromoteAsync()
    {
        var export = await _setup.ExportAsync();
        _setup.Service.Candidate = TuningSetup.AnswersWell;
        var run = await _setup.Runner().RunAsync(await _setup.Coordinator().StartAsync(export, TuningMethod.Sft), wait: false);
        Assert.Equal(TuningState.Promoted, run.State);
        return run;
    }
}
