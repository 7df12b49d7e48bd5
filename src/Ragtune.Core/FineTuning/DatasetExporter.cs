using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Ragtune.Core.Telemetry;

namespace Ragtune.Core.FineTuning;

/// <summary>What an export run did.</summary>
public enum DatasetExportOutcome
{
    /// <summary>A new export was written (complete or insufficient: see its manifest).</summary>
    Exported,

    /// <summary>No rating was saved since the latest export: nothing was written.</summary>
    UpToDate,

    /// <summary>No answer has been rated yet: nothing was written.</summary>
    NothingRated,
}

/// <summary>The outcome of an export run, the manifest of the export it wrote (or of the latest one), and where it is.</summary>
public sealed record DatasetExportResult(DatasetExportOutcome Outcome, DatasetManifest? Manifest, string? Location);

/// <summary>
/// Turns rated answers into fine-tune datasets for OpenAI / Azure OpenAI: <c>ragtune export</c>, the schedule of
/// <c>ragtune serve</c>, and the timer function run this.
/// </summary>
/// <remarks>
/// <para>
/// An up-rated answer is a supervised (SFT) example: the system and user messages exactly as the chat model saw them
/// (history turns included; the empty-context prompt for an answer that was not grounded), then the answer. A
/// down-rated answer with a correction is an SFT example with the correction, and a preference (DPO) example with the
/// correction preferred; one without a correction is not used. Every message is scrubbed of personal data, every line
/// is checked by <see cref="FineTuneExampleValidator"/> before it is written, and duplicates (same system message,
/// question and answer after normalisation) are left out; what is left out is listed in <c>excluded.jsonl</c> with the
/// reason. An answer drawn from documents that not every caller may read is left out too (see
/// <see cref="ExclusionReasons.RestrictedContext"/>): a fine-tuned model answers everyone. Answers are split into train and validation by a hash of their id (<see cref="DatasetSplit"/>).
/// </para>
/// <para>
/// Incremental and idempotent: the watermark is the save time of the newest rating taken. A run when no rating is newer
/// than the latest export's watermark writes nothing. Otherwise it writes a cumulative snapshot of every rating up to
/// the current watermark, streamed from the store in answer id order, and the manifest last: a run that stops before
/// it leaves nothing visible, and the next run writes the same data files. A dataset (SFT or DPO, each on its own) with
/// fewer training examples than <see cref="FineTuningOptions.MinTrainingExamples"/> gets no files, since Azure OpenAI
/// rejects such a training file; its lines are held in memory until the minimum is reached, so nothing of it is written
/// before then.
/// </para>
/// </remarks>
public sealed class DatasetExporter(
    IInteractionStore interactions,
    IDocumentCatalog catalog,
    IDatasetWriter writer,
    IOptions<FineTuningOptions> options,
    TimeProvider time,
    ILogger<DatasetExporter> logger) : IDisposable
{
    private readonly FineTuningOptions _options = options.Value;
    private readonly FineTuneExampleValidator _validator = new(FineTuneTarget.For(options.Value));

    /// <summary>The manifest of the newest pass over the ratings (a readiness check's or an export's); its watermark's end is the watermark it counted up to.</summary>
    private volatile DatasetManifest? _counted;

    /// <summary>One readiness pass at a time: callers that arrive during a pass wait for it instead of starting their own.</summary>
    private readonly SemaphoreSlim _counting = new(1, 1);

    /// <summary>Runs an export, traced as a span <see cref="RagtuneTelemetry.Spans.Export"/> with its outcome and name.</summary>
    public async Task<DatasetExportResult> ExportAsync(CancellationToken cancellationToken = default)
    {
        using var span = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Export);
        try
        {
            var result = await ExportNowAsync(cancellationToken);
            span?.SetTag(RagtuneTelemetry.Tags.ExportOutcome, result.Outcome switch
            {
                DatasetExportOutcome.Exported => "exported",
                DatasetExportOutcome.UpToDate => "up_to_date",
                _ => "nothing_rated",
            });
            span?.SetTag(RagtuneTelemetry.Tags.ExportName, result.Manifest?.Name);
            span?.SetTag(RagtuneTelemetry.Tags.RatedInteractions, result.Manifest?.RatedInteractions);
            return result;
        }
        catch (Exception exception) when (RagtuneTelemetry.RecordFailure(span, exception))
        {
            throw;
        }
    }

    private async Task<DatasetExportResult> ExportNowAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var latest = await writer.ReadLatestManifestAsync(cancellationToken);
        var watermark = await interactions.GetFeedbackWatermarkAsync(cancellationToken);
        if (watermark is null)
        {
            Log.NothingRated(logger);
            return new DatasetExportResult(DatasetExportOutcome.NothingRated, null, null);
        }

        if (!HasNewRatings(latest, watermark))
        {
            Log.UpToDate(logger, latest!.Name, latest.Watermark.To);
            return new DatasetExportResult(DatasetExportOutcome.UpToDate, latest, writer.Location);
        }

        var createdAt = time.GetUtcNow();
        var exportId = Ulid.New(time);
        var name = DatasetExportName.For(createdAt, exportId);
        await using var export = await writer.BeginExportAsync(name, cancellationToken);
        var manifest = await RunAsync(export, exportId, createdAt, new WatermarkRange(latest?.Watermark.To, watermark.Value), cancellationToken);
        await export.CommitAsync(manifest, cancellationToken);
        _counted = manifest;
        var (sft, dpo) = (manifest.Datasets[DatasetExportRun.Sft], manifest.Datasets[DatasetExportRun.Dpo]);
        var excluded = manifest.Exclusions.Values.Sum();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.Exported(logger, name, manifest.Status, manifest.RatedInteractions, sft.Train, sft.Validation, dpo.Train, dpo.Validation, excluded, elapsed);
        return new DatasetExportResult(DatasetExportOutcome.Exported, manifest, export.Location);
    }

    /// <summary>
    /// What an export run now would hold, without writing anything: every current rating goes through the same run as
    /// <see cref="ExportAsync"/> (scrubbing, the checks, duplicates, the split, the minimum per dataset) into files that
    /// are counted and discarded. Also whether a run now would write a new export, and the latest export's manifest.
    /// The counts are kept for the watermark they were taken at (an export's too), so asking again before the next
    /// rating reads nothing but the watermark and the latest manifest; a new rating costs one pass over the rated
    /// answers, however many callers ask at once (they share the pass).
    /// </summary>
    public async Task<DatasetReadiness> GetReadinessAsync(CancellationToken cancellationToken = default)
    {
        var latest = await writer.ReadLatestManifestAsync(cancellationToken);
        var watermark = await interactions.GetFeedbackWatermarkAsync(cancellationToken);
        if (watermark is null)
        {
            return DatasetReadiness.NothingRated(_options.MinTrainingExamples, latest);
        }

        var counted = _counted;
        if (counted?.Watermark.To != watermark.Value)
        {
            await _counting.WaitAsync(cancellationToken);
            try
            {
                // A pass that ended while this caller waited may have counted up to the same watermark.
                counted = _counted;
                if (counted?.Watermark.To != watermark.Value)
                {
                    await using var discarded = new DiscardedExport();
                    counted = await RunAsync(discarded, DiscardedExport.ExportId, time.GetUtcNow(), new WatermarkRange(latest?.Watermark.To, watermark.Value), cancellationToken);
                    _counted = counted;
                }
            }
            finally
            {
                _counting.Release();
            }
        }

        return new DatasetReadiness(counted.RatedInteractions, counted.Datasets, counted.Exclusions, _options.MinTrainingExamples, HasNewRatings(latest, watermark), latest);
    }

    public void Dispose() => _counting.Dispose();

    /// <summary>A run over every rating up to the watermark's end, into <paramref name="export"/>; returns the manifest to commit.</summary>
    private async Task<DatasetManifest> RunAsync(IDatasetExport export, string exportId, DateTimeOffset createdAt, WatermarkRange watermark, CancellationToken cancellationToken)
    {
        await using var run = await DatasetExportRun.StartAsync(export, _options, _validator, cancellationToken);
        var access = new TrainingAccess(catalog);
        await foreach (var rated in interactions.ReadRatedAsync(watermark.To, cancellationToken))
        {
            if (await access.IsRestrictedAsync(rated.Interaction, cancellationToken))
            {
                await run.ExcludeRestrictedAsync(rated, cancellationToken);
            }
            else
            {
                await run.AddAsync(rated, cancellationToken);
            }
        }

        return await run.CompleteAsync(exportId, export.Name, createdAt, watermark);
    }

    /// <summary>Whether a rating was saved after the latest export's watermark (an export now would write a new one).</summary>
    private static bool HasNewRatings(DatasetManifest? latest, DateTimeOffset? watermark) =>
        watermark is { } newest && (latest is null || newest > latest.Watermark.To);

    /// <summary>An export whose files are counted by the run and thrown away, and which is never committed.</summary>
    private sealed class DiscardedExport : IDatasetExport
    {
        public const string ExportId = "readiness";

        public string Name => ExportId;

        public string Location => string.Empty;

        public Task<Stream> CreateFileAsync(string fileName, CancellationToken cancellationToken = default) => Task.FromResult(Stream.Null);

        public Task CommitAsync(DatasetManifest manifest, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("A readiness check writes no export.");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
