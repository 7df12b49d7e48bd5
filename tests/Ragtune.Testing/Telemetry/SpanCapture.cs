using System.Collections.Concurrent;
using System.Diagnostics;
using Ragtune.Core.Telemetry;

namespace Ragtune.Testing.Telemetry;

/// <summary>
/// Records every span that ends in this process from the sources it listens to (all data, all recorded). Spans are
/// process-wide, so other tests' spans are recorded too: find a test's own by a trace, an id tag, or a parent.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    /// <summary>A source of the test's own, whose <see cref="StartRoot"/> spans put what a test calls in a trace of its own.</summary>
    public const string TestSourceName = "Ragtune.Tests";

    private static readonly ActivitySource TestSource = new(TestSourceName);
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ActivityListener _listener;

    /// <param name="listensTo">Which sources to hear: by default Ragtune's, the GenAI clients' and the test source.</param>
    public SpanCapture(Func<ActivitySource, bool>? listensTo = null)
    {
        var names = new HashSet<string>([.. RagtuneTelemetry.ActivitySourceNames, TestSourceName], StringComparer.Ordinal);
        _listener = new ActivityListener
        {
            ShouldListenTo = listensTo ?? (source => names.Contains(source.Name)),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Every span that has ended since the capture began.</summary>
    public IReadOnlyList<Activity> Ended => [.. _ended];

    /// <summary>Starts a span of the test source, the current span until disposed.</summary>
    public static Activity StartRoot() =>
        TestSource.StartActivity("test") ?? throw new InvalidOperationException("Create a SpanCapture before starting a root span.");

    /// <summary>The ended spans of a trace.</summary>
    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. _ended.Where(span => span.TraceId == traceId)];

    /// <summary>The ended spans whose parent is <paramref name="parent"/>, in the order they started.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) =>
        [.. _ended.Where(span => span.TraceId == parent.TraceId && span.ParentSpanId == parent.SpanId).OrderBy(span => span.StartTimeUtc)];

    public void Dispose() => _listener.Dispose();
}
