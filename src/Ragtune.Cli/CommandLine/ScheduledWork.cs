using System.Text.Json;
using Ragtune.Core;

namespace Ragtune.Cli.CommandLine;

/// <summary>What the background jobs of <c>ragtune serve</c> (scheduled export, retention) survive.</summary>
internal static class ScheduledWork
{
    /// <summary>
    /// True for a failure that the job logs and its next run may not meet again (a busy or unreadable file, a store
    /// that is unavailable, a damaged manifest). Anything else is a bug and stops the host.
    /// </summary>
    public static bool IsRecoverable(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or RagtuneException or InvalidDataException or JsonException;
}
