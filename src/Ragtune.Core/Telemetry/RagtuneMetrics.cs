using System.Diagnostics.Metrics;
using Ragtune.Core.Api;
using Ragtune.Core.Index;
using static Ragtune.Core.Telemetry.RagtuneTelemetry;

namespace Ragtune.Core.Telemetry;

/// <summary>
/// Ragtune's metrics, on the meter <see cref="RagtuneTelemetry.Name"/> (made by the host's <see cref="IMeterFactory"/>, so
/// each service provider has its own): answers (tagged grounded and mode: the grounded rate is
/// <c>ragtune.answers{ragtune.answer.grounded=true}</c> over all), their tokens, the latency of retrieval, generation
/// and the whole ask in seconds, and documents ingested and failed (tagged outcome and reason code, never a path).
/// </summary>
public sealed class RagtuneMetrics
{
    /// <summary>Bucket bounds of the durations, in seconds: from a 5 ms embedded lookup to a minute-long generation.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Counter<long> _answers;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _askDuration;
    private readonly Histogram<double> _retrievalDuration;
    private readonly Histogram<double> _generationDuration;
    private readonly Counter<long> _documentsIngested;
    private readonly Counter<long> _documentsFailed;

    public RagtuneMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RagtuneTelemetry.Name, typeof(RagtuneMetrics).Assembly.GetName().Version?.ToString());
        _answers = meter.CreateCounter<long>("ragtune.answers", "{answer}", "Answers given, by whether they were grounded in the documents and the search mode.");
        _tokens = meter.CreateCounter<long>("ragtune.answer.tokens", "{token}", "Tokens the chat model read and wrote for answers, by token type and model.");
        _askDuration = Seconds(meter, "ragtune.ask.duration", "How long a question took to answer, end to end.");
        _retrievalDuration = Seconds(meter, "ragtune.retrieval.duration", "How long finding the context took: rewrite, embed, search and prompt.");
        _generationDuration = Seconds(meter, "ragtune.generation.duration", "How long the chat model took to answer.");
        _documentsIngested = meter.CreateCounter<long>("ragtune.documents.ingested", "{document}", "Documents ingested, by outcome: indexed, or unchanged and skipped.");
        _documentsFailed = meter.CreateCounter<long>("ragtune.documents.failed", "{document}", "Documents that failed to ingest, by outcome (permanent or transient) and reason code.");
    }

    /// <summary>Records an answer given.</summary>
    internal void Answered(SearchMode mode, bool grounded, string model, TokenUsage usage, TimeSpan retrieval, TimeSpan generation, TimeSpan total)
    {
        var modeTag = new KeyValuePair<string, object?>(Tags.SearchMode, mode.TagValue());
        var groundedTag = new KeyValuePair<string, object?>(Tags.Grounded, grounded);
        _answers.Add(1, modeTag, groundedTag);
        _askDuration.Record(total.TotalSeconds, modeTag, groundedTag);
        _retrievalDuration.Record(retrieval.TotalSeconds, modeTag);
        _generationDuration.Record(generation.TotalSeconds, groundedTag);
        if (usage.InputTokens > 0)
        {
            _tokens.Add(usage.InputTokens, new(Tags.TokenType, "input"), new(Tags.Model, model));
        }

        if (usage.OutputTokens > 0)
        {
            _tokens.Add(usage.OutputTokens, new(Tags.TokenType, "output"), new(Tags.Model, model));
        }
    }

    /// <summary>Records an ask that failed, with the time it took, tagged by what failed.</summary>
    internal void AskFailed(SearchMode mode, Exception exception, TimeSpan total) =>
        _askDuration.Record(total.TotalSeconds, new(Tags.SearchMode, mode.TagValue()), new(Tags.ErrorType, exception.GetType().FullName));

    /// <summary>Records a document indexed or skipped as unchanged (<paramref name="outcome"/> is the tag value).</summary>
    internal void DocumentIngested(string outcome) => _documentsIngested.Add(1, new KeyValuePair<string, object?>(Tags.Outcome, outcome));

    /// <summary>Records a document that failed (<paramref name="outcome"/>: permanent or transient) and why.</summary>
    internal void DocumentFailed(string outcome, string reason) =>
        _documentsFailed.Add(1, new(Tags.Outcome, outcome), new(Tags.Reason, reason));

    private static Histogram<double> Seconds(Meter meter, string name, string description) =>
        meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
}
