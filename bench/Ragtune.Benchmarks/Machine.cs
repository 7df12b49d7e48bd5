using System.Globalization;

namespace Ragtune.Benchmarks;

/// <summary>What the machine and this process are doing: load average, resident memory (Linux /proc).</summary>
internal static class Machine
{
    /// <summary>The 1, 5 and 15-minute load averages, or "n/a" off Linux.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The line a benchmark starts its output with: cores and load average.</summary>
    public static string AtStart() => $"machine: {Environment.ProcessorCount} cores, load average at start: {LoadAverage()}";

    /// <summary>The line a benchmark ends its output with.</summary>
    public static string AtEnd() => $"load average at end: {LoadAverage()}";

    /// <summary>The 1-minute load average, or 0 off Linux.</summary>
    public static double OneMinuteLoad() =>
        File.Exists("/proc/loadavg") ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture) : 0;

    /// <summary>This process's resident memory now (VmRSS), in bytes; 0 off Linux.</summary>
    public static long ResidentBytes() => ReadStatus("VmRSS");

    /// <summary>This process's peak resident memory (VmHWM, the high-water mark), in bytes; 0 off Linux.</summary>
    public static long PeakResidentBytes() => ReadStatus("VmHWM");

    /// <summary>
    /// Resets the peak resident memory to the current one (writing 5 to /proc/self/clear_refs, Linux 4.0 and later).
    /// Returns false where that is not allowed; the peak then still includes what came before.
    /// </summary>
    public static bool TryResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A size in MB (10^6 bytes), as the tables print it.</summary>
    public static string Megabytes(long bytes) => (bytes / 1e6).ToString("N0", CultureInfo.InvariantCulture);

    private static long ReadStatus(string field)
    {
        const string Path = "/proc/self/status";
        if (!File.Exists(Path))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(Path))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                // "VmHWM:	  123456 kB"
                var kilobytes = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
