using System.Collections.Concurrent;

namespace Ragtune.Core;

/// <summary>
/// What parts of the app report while they cannot serve (an index still being created, a permission not yet granted, a
/// definition the service refuses), for health to tell: an adapter reports into it, <see cref="HealthCheck"/> reads it.
/// The reasons are meant for the operator; they name no question, document or caller.
/// </summary>
public sealed class ServiceReadiness
{
    private readonly ConcurrentDictionary<string, string> _notReady = new(StringComparer.Ordinal);

    /// <summary>Why each part that is not ready is not, ordered by part.</summary>
    public IReadOnlyList<string> Reasons => [.. _notReady.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)];

    /// <summary><paramref name="component"/> cannot serve, for <paramref name="reason"/> (replacing an earlier reason).</summary>
    public void NotReady(string component, string reason) => _notReady[component] = reason;

    /// <summary><paramref name="component"/> serves.</summary>
    public void Ready(string component) => _notReady.TryRemove(component, out _);
}
