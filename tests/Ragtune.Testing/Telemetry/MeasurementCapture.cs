using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Ragtune.Testing.Telemetry;

/// <summary>
/// Records every measurement of every meter in this process (the instrument's meter and name, and its tags as
/// <c>key=value</c>), for privacy assertions. Meters are process-wide, so other tests' measurements are recorded too.
/// </summary>
public sealed class MeasurementCapture : IDisposable
{
    private readonly ConcurrentQueue<(string Meter, string Instrument, string[] Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    public MeasurementCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.SetMeasurementEventCallback<float>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.SetMeasurementEventCallback<decimal>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.SetMeasurementEventCallback<short>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.SetMeasurementEventCallback<byte>((instrument, _, tags, _) => Record(instrument, tags));
        _listener.Start();
    }

    /// <summary>Every measurement so far, observable instruments read now.</summary>
    public IReadOnlyList<(string Meter, string Instrument, string[] Tags)> Measurements
    {
        get
        {
            _listener.RecordObservableInstruments();
            return [.. _measurements];
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            text[i] = SpanText.Tag(tags[i]);
        }

        _measurements.Enqueue((instrument.Meter.Name, instrument.Name, text));
    }
}
