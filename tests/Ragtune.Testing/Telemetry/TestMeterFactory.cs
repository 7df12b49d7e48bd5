using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Ragtune.Core.Telemetry;

namespace Ragtune.Testing.Telemetry;

/// <summary>
/// A meter factory of a test's own: its meters have the factory as their scope, so that a
/// <c>MetricCollector</c> given the factory hears this test's measurements and no other test's.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentBag<Meter> _meters = [];

    /// <summary>Ragtune's metrics on a factory nobody else shares.</summary>
    public static RagtuneMetrics Metrics() => new(new TestMeterFactory());

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
