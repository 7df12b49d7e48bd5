using System.Diagnostics;

namespace Ragtune.Benchmarks;

/// <summary>Items a wall-clock second and a CPU-second of this process (which other work on shared cores disturbs much less).</summary>
internal sealed record Rates(double PerSecond, double PerCpuSecond)
{
    public static Rates Best(Rates left, Rates right) =>
        new(Math.Max(left.PerSecond, right.PerSecond), Math.Max(left.PerCpuSecond, right.PerCpuSecond));
}

/// <summary>Wall-clock and process CPU time since it started.</summary>
internal sealed class Timing
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;

    public static Timing Start() => new();

    public TimeSpan Wall => _wall.Elapsed;

    public TimeSpan Cpu => Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart;

    public Rates Rates(int items) => new(items / Wall.TotalSeconds, items / Cpu.TotalSeconds);
}
