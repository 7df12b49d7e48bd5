using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ragtune.Testing.Logging;

/// <summary>One log entry as a sink would store it: everything a reader of the logs could see.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Text">The formatted message, the state's names and values, and the exception with its stack, joined.</param>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Text);

/// <summary>Keeps every log entry at or above a level, for tests of what reaches the logs (any host: add it to the logger factory).</summary>
public sealed class CapturingLoggerProvider(LogLevel minimum) : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly LogLevel _minimum = minimum;

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>A logger of <typeparamref name="T"/>'s category that writes here, for a class built without a host.</summary>
    public ILogger<T> CreateLogger<T>() => new TypedLogger<T>(CreateLogger(typeof(T).FullName!));

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            provider._entries.Enqueue(new CapturedLog(category, logLevel, eventId, $"{formatter(state, exception)} || {values} || {exception}"));
        }
    }

    private sealed class TypedLogger<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
