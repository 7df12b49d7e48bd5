using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Benchmarks;

/// <summary>
/// Top-10 search latency of <see cref="SqliteChunkIndex"/> in each mode, measured in the same run as a raw exact scan of
/// the same vectors (TensorPrimitives.Dot over one float[], one thread and two), which is the floor it is judged against.
/// The corpus is synthetic (<see cref="SyntheticCorpus"/>).
/// </summary>
internal static class SearchBenchmark
{
    private const int Top = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = new Arguments(args);
        var chunks = arguments.Int("--chunks", 100_000);
        var queries = arguments.Int("--queries", 200);
        var dimensions = arguments.Int("--dimensions", 384);
        var random = new Random(42);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search benchmark: {chunks:N0} chunks of {dimensions} dimensions, {queries} queries, top {Top}"));
        Console.WriteLine(Machine.AtStart());

        var keep = arguments.Flag("--keep");
        using var directory = new TemporaryDirectory("search", keep);
        var options = Options.Create(new SqliteStorageOptions { DataDirectory = directory.Path });
        using var database = new SqliteDatabase(options, NullLogger<SqliteDatabase>.Instance);
        using var index = new SqliteChunkIndex(database, options, NullLogger<SqliteChunkIndex>.Instance);

        var building = Stopwatch.StartNew();
        var corpus = await SyntheticCorpus.WriteAsync(index, chunks, dimensions, random);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built the index in {building.Elapsed.TotalSeconds:0.0} s ({chunks / building.Elapsed.TotalSeconds:N0} chunks/s), file {new FileInfo(database.FilePath).Length / 1e6:N0} MB"));

        var loading = Stopwatch.StartNew();
        await index.SearchAsync(new ChunkQuery(SearchMode.Vector, "", SyntheticCorpus.RandomUnit(random, dimensions), Top, ChunkFilter.Unrestricted));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first search (loads the vectors into memory): {loading.Elapsed.TotalMilliseconds:N0} ms"));

        var cases = new (string Name, Func<float[], string, Task> Run)[]
        {
            ("raw scan, 1 thread", (q, _) => Task.FromResult(corpus.RawScan(q, 1, Top))),
            ("raw scan, 2 threads", (q, _) => Task.FromResult(corpus.RawScan(q, 2, Top))),
            ("vector", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Vector, t, q, Top, ChunkFilter.Unrestricted))),
            ("keyword", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Keyword, t, q, Top, ChunkFilter.Unrestricted))),
            ("hybrid", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, t, q, Top, ChunkFilter.Unrestricted))),
            ("hybrid, public only", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, t, q, Top, ChunkFilter.Public))),
            ("hybrid, groups + glob", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, t, q, Top, new ChunkFilter(AccessScope.ForGroups(["hr"]), ["corpus/0*/**"])))),
        };

        foreach (var (label, text) in corpus.QuestionKinds)
        {
            Console.WriteLine();
            Console.WriteLine(label + ":");
            var timings = await LatencyRounds.MeasureAsync(cases.Select(c => c.Run).ToArray(), queries, dimensions, text);
            LatencyRounds.Report(cases.Select(c => c.Name).ToArray(), timings);
        }

        Console.WriteLine();
        Console.WriteLine(Machine.AtEnd() + " (other builds on these cores add noise; compare ratios within one run)");
        if (keep)
        {
            Console.WriteLine("kept " + directory.Path);
        }

        return 0;
    }
}
