using Ragtune.Core.FineTuning.Tuning;
using Xunit;

namespace Ragtune.Testing.Contracts;

/// <summary>What every <see cref="ITuningRunStore"/> does (SQLite, Table Storage, the in-memory one): derive, give an empty store of the test's own, and run.</summary>
public abstract class TuningRunStoreContract
{
    protected static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    protected const string Export = "20261127T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1E";

    /// <summary>An empty store of the test's own.</summary>
    protected abstract ITuningRunStore Store { get; }

    [Fact]
    public async Task Create_ThenFind_ReturnsTheRunAsStoredWithRevisionOne()
    {
        var run = TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon);

        var created = await Store.CreateAsync(run);
        var found = await Store.FindAsync(run.RunId);

        Assert.Equal(1, created.Revision);
        AssertSame(created, found);
        Assert.Equal($"{Export}-sft", found!.RunId);
        Assert.Equal(TuningState.Created, found.State);
    }

    [Fact]
    public async Task Create_TheSameRunAgain_StoresNothingAndReturnsTheStoredOne()
    {
        var first = await Store.CreateAsync(TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon));
        var advanced = await Store.UpdateAsync(first.FilesUploaded("file-train", "file-valid", Noon.AddMinutes(1)));

        var again = await Store.CreateAsync(TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon.AddHours(1)));

        AssertSame(advanced, again);
        Assert.Single(await Store.ListAsync());
    }

    [Fact]
    public async Task Update_KeepsEveryFieldAndRaisesTheRevision()
    {
        var run = await Store.CreateAsync(TuningRun.Create(Export, TuningMethod.Dpo, "gpt-4.1-mini", Noon));
        run = await Store.UpdateAsync(run.FilesUploaded("file-train", null, Noon.AddMinutes(1)));
        run = await Store.UpdateAsync(run.JobRequested(Noon.AddMinutes(2)));
        var job = new FineTuningJob("ftjob-1", FineTuningJob.Succeeded, "ft:gpt-4.1-mini:ragtune:abc", 12_345, null, "file-train", run.RunId);
        run = await Store.UpdateAsync(run.JobCreated(job, Noon.AddMinutes(3)));
        run = await Store.UpdateAsync(run.JobObserved(job, [new FineTuningJobEvent(Noon.AddMinutes(4), "info", "Job succeeded.")], Noon.AddMinutes(4)));

        var found = await Store.FindAsync(run.RunId);

        Assert.Equal(5, found!.Revision);
        AssertSame(run, found);
        Assert.Equal(run.Events, found.Events);
        Assert.Equal(TuningState.JobSucceeded, found.State);
        Assert.Equal(12_345, found.TrainedTokens);
        Assert.Equal(Noon.AddMinutes(2), found.JobRequestedAt);
    }

    [Fact]
    public async Task Update_FromAnOlderRevision_IsAConflictAndChangesNothing()
    {
        var run = await Store.CreateAsync(TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon));
        var mine = run.FilesUploaded("file-a", null, Noon.AddMinutes(1));
        var theirs = run.FilesUploaded("file-b", null, Noon.AddMinutes(1));
        await Store.UpdateAsync(theirs);

        await Assert.ThrowsAsync<TuningRunConflictException>(() => Store.UpdateAsync(mine));

        Assert.Equal("file-b", (await Store.FindAsync(run.RunId))!.TrainingFileId);
    }

    [Fact]
    public async Task Update_ARunThatWasNeverCreated_IsAConflict()
    {
        var run = TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon) with { Revision = 1 };

        await Assert.ThrowsAsync<TuningRunConflictException>(() => Store.UpdateAsync(run));
    }

    [Fact]
    public async Task List_ReturnsRunsNewestFirst()
    {
        await Store.CreateAsync(TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon));
        await Store.CreateAsync(TuningRun.Create("20261128T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1F", TuningMethod.Sft, "gpt-4.1-mini", Noon.AddDays(1)));
        await Store.CreateAsync(TuningRun.Create(Export, TuningMethod.Dpo, "gpt-4.1-mini", Noon.AddHours(1)));

        var runs = await Store.ListAsync();

        Assert.Equal(
            ["20261128T030000Z-01JDQ8S5ZV3C2N1X5A8B9C0D1F-sft", $"{Export}-dpo", $"{Export}-sft"],
            runs.Select(r => r.RunId));
    }

    [Fact]
    public async Task ModelChanges_AreReadBackInOrder_AndASequenceTakenTwiceIsAConflict()
    {
        var promoted = new ModelChange(1, ModelChangeKind.Promoted, "ft:gpt-4.1-mini:ragtune:abc", "ft:gpt-4.1-mini:ragtune:abc", $"{Export}-sft", Noon);
        var rolledBack = new ModelChange(2, ModelChangeKind.RolledBack, null, null, null, Noon.AddDays(1));
        await Store.AppendModelChangeAsync(promoted);
        await Store.AppendModelChangeAsync(rolledBack);

        await Assert.ThrowsAsync<TuningRunConflictException>(() => Store.AppendModelChangeAsync(rolledBack with { At = Noon.AddDays(2) }));

        Assert.Equal([promoted, rolledBack], await Store.ReadModelChangesAsync());
    }

    /// <summary>Runs are equal when every field is (lists by their items) and so is the revision.</summary>
    protected static void AssertSame(TuningRun expected, TuningRun? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(TuningJson.Serialize(expected), TuningJson.Serialize(actual));
        Assert.Equal(expected.Revision, actual.Revision);
    }

    [Fact]
    public async Task ModelChanges_StartEmpty()
    {
        Assert.Empty(await Store.ReadModelChangesAsync());
        Assert.Equal(ActiveModel.Configured, ActiveModel.From(await Store.ReadModelChangesAsync()));
    }
}
