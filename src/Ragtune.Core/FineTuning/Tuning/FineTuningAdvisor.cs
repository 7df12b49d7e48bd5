using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;
using Ragtune.Core.Feedback;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// "When should you fine-tune?" with this deployment's own numbers: the training examples an export now would hold
/// against the provider's minimum, the share of grounded answers rated down recently, the training tokens (and cost)
/// a run would take, the last run's verdict, and the model answering now and since when.
/// </summary>
/// <remarks>
/// The recent ratings are counted in one pass over the rated answers, kept until a rating is saved or an hour has
/// passed (the window moves), so asking again costs a watermark read.
/// </remarks>
public sealed class FineTuningAdvisor(
    IInteractionStore interactions,
    ITuningRunStore runs,
    ChatModelProfile chatModel,
    IOptions<TuningOptions> options,
    TimeProvider time) : IDisposable
{
    private static readonly TimeSpan RecountAfter = TimeSpan.FromHours(1);

    private readonly TuningOptions _options = options.Value;
    private readonly SemaphoreSlim _counting = new(1, 1);
    private volatile CountedRatings? _counted;

    /// <summary>The advice, from the export's readiness check (what an export now would hold).</summary>
    public async Task<FineTuningAdvice> AdviseAsync(DatasetReadiness readiness, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        var method = _options.Method;
        var dataset = readiness.Datasets.GetValueOrDefault(method.Name());
        var examples = dataset?.Train ?? 0;
        long? tokens = dataset?.Tokens is { } t ? (long)t.P50 * examples * _options.EstimatedEpochs : null;
        var cost = tokens is { } n && _options.PricePerMillionTrainingTokens is { } price ? Math.Round(n / 1_000_000.0 * price, 2) : (double?)null;
        var listed = await runs.ListAsync(cancellationToken);
        var lastRun = listed.Count == 0 ? null : listed[0];
        var active = ActiveModel.From(await runs.ReadModelChangesAsync(cancellationToken));
        return new FineTuningAdvice(
            method,
            examples,
            readiness.MinTrainingExamples,
            await CountRecentAsync(cancellationToken),
            tokens,
            cost,
            lastRun is null ? null : new LastRun(lastRun.RunId, lastRun.State, lastRun.Verdict),
            new ActiveModelInfo(active.Model ?? chatModel.ModelId, active.Since, active.Model is not null),
            _options.AutoTune);
    }

    public void Dispose() => _counting.Dispose();

    private async Task<RecentRatings> CountRecentAsync(CancellationToken cancellationToken)
    {
        var watermark = await interactions.GetFeedbackWatermarkAsync(cancellationToken);
        var now = time.GetUtcNow();
        var counted = _counted;
        if (counted is not null && counted.Watermark == watermark && now - counted.CountedAt < RecountAfter)
        {
            return counted.Ratings;
        }

        await _counting.WaitAsync(cancellationToken);
        try
        {
            var (rated, down) = (0, 0);
            if (watermark is { } upTo)
            {
                var since = now - _options.AdviceWindow;
                await foreach (var answer in interactions.ReadRatedAsync(upTo, cancellationToken))
                {
                    if (answer.Interaction.Grounded && answer.Feedback.RatedAt >= since)
                    {
                        rated++;
                        down += answer.Feedback.Rating == FeedbackRating.Down ? 1 : 0;
                    }
                }
            }

            var ratings = new RecentRatings((int)Math.Round(_options.AdviceWindow.TotalDays), rated, down, rated == 0 ? null : Math.Round((double)down / rated, 4));
            _counted = new CountedRatings(watermark, now, ratings);
            return ratings;
        }
        finally
        {
            _counting.Release();
        }
    }

    private sealed record CountedRatings(DateTimeOffset? Watermark, DateTimeOffset CountedAt, RecentRatings Ratings);
}

/// <summary>The numbers that say whether fine-tuning is worth it now (<c>fineTuning</c> in GET /api/datasets).</summary>
/// <param name="Method">The method auto-tune would use (<c>Ragtune:FineTuning:Method</c>).</param>
/// <param name="ExamplesReady">Its training examples an export now would hold.</param>
/// <param name="MinTrainingExamples">The fewest the provider takes (a dataset with fewer gets no files).</param>
/// <param name="RecentRatings">Grounded answers rated in the window, and how many down.</param>
/// <param name="EstimatedTrainingTokens">Median tokens per example x examples x <c>EstimatedEpochs</c>; null with no examples.</param>
/// <param name="EstimatedCost">At <c>PricePerMillionTrainingTokens</c>; null when no price is set.</param>
/// <param name="LastRun">The newest tuning run, if any.</param>
/// <param name="ActiveModel">The chat model answering now, and since when.</param>
/// <param name="AutoTune">Whether a run starts on its own for each new export.</param>
public sealed record FineTuningAdvice(
    TuningMethod Method,
    int ExamplesReady,
    int MinTrainingExamples,
    RecentRatings RecentRatings,
    long? EstimatedTrainingTokens,
    double? EstimatedCost,
    LastRun? LastRun,
    ActiveModelInfo ActiveModel,
    bool AutoTune);

/// <summary>Grounded answers rated in the last <paramref name="Days"/> days, those rated down, and their share (null with none).</summary>
public sealed record RecentRatings(int Days, int Rated, int Down, double? DownShare);

/// <summary>A run's id, state and verdict.</summary>
public sealed record LastRun(string RunId, TuningState State, TuningVerdict? Verdict);

/// <summary>The model answering now; <paramref name="FineTuned"/> when a promotion put it there, <paramref name="Since"/> when.</summary>
public sealed record ActiveModelInfo(string Model, DateTimeOffset? Since, bool FineTuned);
