using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

/// <summary>The run's state machine: each transition from the states it follows, and none from any other.</summary>
public sealed class TuningRunTests
{
    private const string Export = "20261127T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1E";
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IdFor_IsTheExportAndTheMethod()
    {
        Assert.Equal($"{Export}-sft", TuningRun.IdFor(Export, TuningMethod.Sft));
        Assert.Equal($"{Export}-dpo", TuningRun.Create(Export, TuningMethod.Dpo, "gpt-4.1-mini", Noon).RunId);
    }

    [Theory]
    [InlineData(FineTuningJob.ValidatingFiles, TuningState.JobRunning)]
    [InlineData(FineTuningJob.Queued, TuningState.JobRunning)]
    [InlineData(FineTuningJob.Running, TuningState.JobRunning)]
    [InlineData(FineTuningJob.Succeeded, TuningState.JobSucceeded)]
    [InlineData(FineTuningJob.Failed, TuningState.JobFailed)]
    [InlineData(FineTuningJob.Cancelled, TuningState.JobCancelled)]
    public void JobObserved_FollowsTheJobsStatus(string status, TuningState expected)
    {
        var run = WithJob();

        var observed = run.JobObserved(Job(status), [], Noon.AddHours(1));

        Assert.Equal(expected, observed.State);
        Assert.Equal(status, observed.JobStatus);
        Assert.Equal(expected is TuningState.JobFailed or TuningState.JobCancelled, observed.Failure is not null);
    }

    [Fact]
    public void JobObserved_KeepsTheLatestEventsOnly()
    {
        var events = Enumerable.Range(0, 30).Select(i => new FineTuningJobEvent(Noon.AddMinutes(i), "info", $"step {i}")).ToList();

        var observed = WithJob().JobObserved(Job(FineTuningJob.Running), events, Noon);

        Assert.Equal(TuningRun.MaxEvents, observed.Events.Count);
        Assert.Equal("step 29", observed.Events[^1].Message);
    }

    [Fact]
    public void Transitions_FromAStateTheyDoNotFollow_AreRefused()
    {
        var created = TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon);

        Assert.Throws<InvalidOperationException>(() => created.JobCreated(Job(FineTuningJob.Queued), Noon));
        Assert.Throws<InvalidOperationException>(() => created.JobObserved(Job(FineTuningJob.Succeeded), [], Noon));
        Assert.Throws<InvalidOperationException>(() => created.EvaluationStarted("d", Noon));
        Assert.Throws<InvalidOperationException>(() => created.Decided(Noon));
        Assert.Throws<InvalidOperationException>(() => WithJob().FilesUploaded("again", null, Noon));
    }

    [Fact]
    public void Failed_EndsARunInProgress_ButNotOneThatEnded()
    {
        var failure = new TuningFailure("deployment_failed", "It ended Failed.");
        var failed = WithJob().Failed(failure, Noon);

        Assert.Equal((TuningState.Failed, failure), (failed.State, failed.Failure));
        Assert.True(failed.IsTerminal);
        Assert.Throws<InvalidOperationException>(() => failed.Failed(failure, Noon));
    }

    [Fact]
    public void Decided_CarriesOutTheVerdictJudged()
    {
        var evaluating = WithJob().JobObserved(Job(FineTuningJob.Succeeded), [], Noon).EvaluationStarted("model", Noon);
        var rejected = new GateResult(TuningVerdict.Rejected, new EvaluationSummary(12, 0.6, 0.5, -0.1, [-0.2, 0]));

        var judged = evaluating.Judged(rejected, Noon);
        var decided = judged.Decided(Noon);

        Assert.Equal(TuningState.Evaluating, judged.State);
        Assert.Equal(TuningState.Rejected, decided.State);
        Assert.Equal(rejected.Summary, decided.Evaluation);
        Assert.Throws<InvalidOperationException>(() => judged.ServingDeploying("x", Noon));
    }

    [Fact]
    public void Interrupted_KeepsTheState_AndTheNextMoveClearsTheError()
    {
        var created = TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon);

        var interrupted = created.Interrupted(new TuningFailure("fine-tuning_throttled", "429"), Noon);
        var moved = interrupted.FilesUploaded("file-1", null, Noon);

        Assert.Equal(TuningState.Created, interrupted.State);
        Assert.NotNull(interrupted.LastError);
        Assert.Null(moved.LastError);
    }

    private static TuningRun WithJob() =>
        TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon).FilesUploaded("file-1", "file-2", Noon).JobRequested(Noon).JobCreated(Job(FineTuningJob.ValidatingFiles), Noon);

    private static FineTuningJob Job(string status) =>
        new("ftjob-1", status, status == FineTuningJob.Succeeded ? "ft:model" : null, null, status == FineTuningJob.Failed ? new TuningFailure("x", "y") : null, "file-1", null);
}
