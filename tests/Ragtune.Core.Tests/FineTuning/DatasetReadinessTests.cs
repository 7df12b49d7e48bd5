using System.Runtime.CompilerServices;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Testing;

namespace Ragtune.Core.Tests.FineTuning;

public sealed class DatasetReadinessTests
{
    private readonly RatedAnswers _answers = new();

    [Fact]
    public async Task Readiness_NothingRated_IsTwoEmptyDatasetsAndNothingNew()
    {
        var readiness = await _answers.Exporter().GetReadinessAsync();

        Assert.Equal(0, readiness.RatedInteractions);
        Assert.Equal(["dpo", "sft"], readiness.Datasets.Keys);
        Assert.All(readiness.Datasets.Values, d => Assert.Equal((DatasetStatus.Insufficient, 0, 0), (d.Status, d.Train, d.Validation)));
        Assert.False(readiness.HasNewRatings);
        Assert.Null(readiness.LatestExport);
    }

    [Fact]
    public async Task Readiness_CountsWhatAnExportNowWouldWrite_AndWritesNothing()
    {
        _answers.Options.MinTrainingExamples = 3;
        await _answers.UpRatedAsync(3);
        var corrected = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(corrected, FeedbackRating.Down, "Two years [1].");
        var uncorrected = await _answers.AnswerAsync("Who makes the bike?", "Nobody.");
        await _answers.RateAsync(uncorrected, FeedbackRating.Down);
        var exporter = _answers.Exporter();

        var readiness = await exporter.GetReadinessAsync();

        Assert.Empty(_answers.Writer.Committed);
        Assert.True(readiness.HasNewRatings);
        var manifest = (await exporter.ExportAsync()).Manifest!;
        Assert.Equal(manifest.RatedInteractions, readiness.RatedInteractions);
        Assert.Equal(manifest.Datasets, readiness.Datasets);
        Assert.Equal(manifest.Exclusions, readiness.Exclusions);
        Assert.Equal((DatasetStatus.Complete, 4), (readiness.Datasets["sft"].Status, readiness.Datasets["sft"].Train));
        Assert.Equal((DatasetStatus.Insufficient, 1), (readiness.Datasets["dpo"].Status, readiness.Datasets["dpo"].Train));
        Assert.Equal(1, readiness.Exclusions[ExclusionReasons.DownWithoutCorrection]);
    }

    [Fact]
    public async Task Readiness_AfterAnExport_NamesItAndHasNothingNewUntilTheNextRating()
    {
        var first = await _answers.UpRatedAsync(1);
        var exporter = _answers.Exporter();
        await exporter.GetReadinessAsync();
        var exported = await exporter.ExportAsync();

        var afterExport = await exporter.GetReadinessAsync();
        await _answers.RateAsync(first[0], FeedbackRating.Down, "A better answer [1].");
        await _answers.UpRatedAsync(1, "later");
        var afterRating = await exporter.GetReadinessAsync();

        Assert.False(afterExport.HasNewRatings);
        Assert.Equal(exported.Manifest!.ExportId, afterExport.LatestExport!.ExportId);
        Assert.Equal(1, afterExport.Datasets["sft"].Train);
        Assert.True(afterRating.HasNewRatings);
        Assert.Equal(2, afterRating.RatedInteractions);
        Assert.Equal(2, afterRating.Datasets["sft"].Train);
        Assert.Equal(1, afterRating.Datasets["dpo"].Train);
    }

    [Fact]
    public async Task Readiness_AskedByManyAtOnce_AfterARating_MakesOnePassOverTheRatings()
    {
        await _answers.UpRatedAsync(2);
        var store = new GatedInteractionStore(_answers.Store);
        using var exporter = _answers.Exporter(store: store);

        var asks = Enumerable.Range(0, 8).Select(_ => Task.Run(() => exporter.GetReadinessAsync())).ToList();
        await store.PassStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Every caller has read the watermark while the first pass is held: none has a count for it, so each would start
        // a pass of its own unless it shares the running one.
        await Eventually.HoldsAsync(() => store.WatermarkReads == 8, TimeSpan.FromSeconds(30), "all eight callers read the watermark");
        store.Open.SetResult();
        var readiness = await Task.WhenAll(asks);

        Assert.Equal(1, store.Passes);
        Assert.All(readiness, r => Assert.Equal(2, r.RatedInteractions));
    }

    [Fact]
    public async Task Readiness_AfterAnExport_CountsWithoutAnotherPass()
    {
        await _answers.UpRatedAsync(2);
        var store = new GatedInteractionStore(_answers.Store);
        store.Open.SetResult();
        using var exporter = _answers.Exporter(store: store);
        var exported = await exporter.ExportAsync();

        var readiness = await exporter.GetReadinessAsync();

        Assert.Equal(1, store.Passes);
        Assert.Equal(exported.Manifest!.Datasets, readiness.Datasets);
        Assert.False(readiness.HasNewRatings);
    }

    /// <summary>The store, with every pass over the rated answers counted and held at its start until <see cref="Open"/> is set.</summary>
    private sealed class GatedInteractionStore(IInteractionStore inner) : IInteractionStore
    {
        private int _passes;
        private int _watermarkReads;

        public TaskCompletionSource PassStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Passes => Volatile.Read(ref _passes);

        public int WatermarkReads => Volatile.Read(ref _watermarkReads);

        public async IAsyncEnumerable<RatedInteraction> ReadRatedAsync(DateTimeOffset upTo, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _passes);
            PassStarted.TrySetResult();
            await Open.Task.WaitAsync(cancellationToken);
            await foreach (var rated in inner.ReadRatedAsync(upTo, cancellationToken))
            {
                yield return rated;
            }
        }

        public Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default) => inner.RecordAsync(interaction, cancellationToken);

        public Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default) => inner.FindAsync(answerId, cancellationToken);

        public Task<AnswerFeedback?> SaveFeedbackAsync(AnswerFeedback feedback, CancellationToken cancellationToken = default) => inner.SaveFeedbackAsync(feedback, cancellationToken);

        public Task<DateTimeOffset?> GetFeedbackWatermarkAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _watermarkReads);
            return inner.GetFeedbackWatermarkAsync(cancellationToken);
        }

        public Task<int> DeleteRecordedBeforeAsync(DateTimeOffset recordedBefore, DateTimeOffset? exportedUpTo, CancellationToken cancellationToken = default) =>
            inner.DeleteRecordedBeforeAsync(recordedBefore, exportedUpTo, cancellationToken);
    }
}
