using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Embedded.Storage;

namespace Ragtune.Benchmarks;

/// <summary>
/// <c>ragtune backup</c>'s own code (<see cref="RatingsBackup"/>) over N rated answers recorded as the export benchmark
/// records them (realistic prompts, 70% up, 30% down, half of those with a correction): wall-clock and CPU time of the
/// backup (copy, quick_check, counts, rename), and the sizes of ratings.db and of the backup.
/// </summary>
internal static class BackupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, "--answers");
        var answers = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 100_000;
        var directory = Path.Combine(Path.GetTempPath(), "ragtune-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var storage = Options.Create(new SqliteStorageOptions { DataDirectory = directory });
            using var ratings = new RatingsDatabase(storage, NullLogger<SqliteDatabase>.Instance);
            var recording = Stopwatch.StartNew();
            await ExportBenchmark.GenerateAsync(new SqliteInteractionStore(ratings), answers, new Random(answers));
            recording.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backup benchmark: {answers:N0} rated answers recorded in {recording.Elapsed.TotalSeconds:0.0} s; machine: {Environment.ProcessorCount} cores, load average {ExportBenchmark.LoadAverage()}"));

            var cpu = Environment.CpuUsage.TotalTime;
            var backingUp = Stopwatch.StartNew();
            var result = await RatingsBackup.WriteAsync(ratings, Path.Combine(directory, "backup", "ratings.db"));
            backingUp.Stop();
            cpu = Environment.CpuUsage.TotalTime - cpu;
            var source = new FileInfo(ratings.FilePath).Length + (File.Exists(ratings.FilePath + "-wal") ? new FileInfo(ratings.FilePath + "-wal").Length : 0);
            Console.WriteLine("answers | rated | backup s | CPU s | ratings.db (+WAL) MB | backup MB | MB/s");
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{result.Answers,7:N0} | {result.Ratings,5:N0} | {backingUp.Elapsed.TotalSeconds,8:0.00} | {cpu.TotalSeconds,5:0.00} | {source / 1e6,20:N1} | {result.Bytes / 1e6,9:N1} | {result.Bytes / 1e6 / backingUp.Elapsed.TotalSeconds,4:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average after: {ExportBenchmark.LoadAverage()}"));
            return 0;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
