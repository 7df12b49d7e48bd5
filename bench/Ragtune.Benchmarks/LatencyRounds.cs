using System.Diagnostics;
using System.Globalization;

namespace Ragtune.Benchmarks;

/// <summary>
/// Latency of several ways to answer the same queries, interleaved: each query runs every case in turn, so that load
/// from other work on the machine falls on all cases alike. The first two cases are the floors (raw scans, one thread
/// and two) the others are compared with.
/// </summary>
internal static class LatencyRounds
{
    /// <summary>Untimed queries before the timed ones.</summary>
    public const int WarmupQueries = 20;

    /// <summary>Milliseconds of each case for each query, after <see cref="WarmupQueries"/> untimed queries.</summary>
    public static async Task<List<double>[]> MeasureAsync(Func<float[], string, Task>[] cases, int queries, int dimensions, Func<Random, string> text)
    {
        var timings = cases.Select(_ => new List<double>(queries)).ToArray();
        var queryRandom = new Random(7);
        for (var q = -WarmupQueries; q < queries; q++)
        {
            var vector = SyntheticCorpus.RandomUnit(queryRandom, dimensions);
            var words = text(queryRandom);
            for (var c = 0; c < cases.Length; c++)
            {
                var started = Stopwatch.GetTimestamp();
                await cases[c](vector, words);
                if (q >= 0)
                {
                    timings[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }

        return timings;
    }

    public static void Report(string[] names, List<double>[] timings)
    {
        var floor1 = Statistics.Median(timings[0]);
        var floor2 = Statistics.Median(timings[1]);
        Console.WriteLine($"  {"case",-24}   p50 ms   p99 ms  mean ms   p50 / raw 1 thread   p50 / raw 2 threads");
        for (var c = 0; c < names.Length; c++)
        {
            var p50 = Statistics.Median(timings[c]);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {names[c],-24} {p50,7:0.00}  {Statistics.Percentile(timings[c], 0.99),7:0.00}  {timings[c].Average(),7:0.00}   {p50 / floor1,10:0.00}x   {p50 / floor2,16:0.00}x"));
        }
    }
}
