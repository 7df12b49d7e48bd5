using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Benchmarks;

/// <summary>
/// Top-10 search latency of <see cref="SqliteChunkIndex"/> in each mode, measured in the same run as a raw exact scan of
/// the same vectors (TensorPrimitives.Dot over one float[], one thread and two), which is the floor it is judged against.
/// The corpus is synthetic: random unit vectors, and texts drawn from a Zipf-distributed vocabulary so that the
/// full-text index has realistic postings (a few words in nearly every chunk, most words rare).
/// </summary>
internal static class SearchBenchmark
{
    private const int Top = 10;
    private const int ChunksPerDocument = 20;
    private const int VocabularySize = 20_000;
    private const int WarmupQueries = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var chunks = Option(args, "--chunks", 100_000);
        var queries = Option(args, "--queries", 200);
        var dimensions = Option(args, "--dimensions", 384);
        var random = new Random(42);
        var vocabulary = new Vocabulary(random);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search benchmark: {chunks:N0} chunks of {dimensions} dimensions, {queries} queries, top {Top}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, load average before: {LoadAverage()}"));

        var keep = args.Contains("--keep");
        var directory = Path.Combine(Path.GetTempPath(), "ragtune-bench", Guid.NewGuid().ToString("N"));
        var options = Options.Create(new SqliteStorageOptions { DataDirectory = directory });
        try
        {
            using var database = new SqliteDatabase(options, NullLogger<SqliteDatabase>.Instance);
            using var index = new SqliteChunkIndex(database, options, NullLogger<SqliteChunkIndex>.Instance);

            // Build: one replacement per document of 20 chunks; one in ten documents belongs to group "hr".
            var all = new float[(long)chunks * dimensions];
            var building = Stopwatch.StartNew();
            for (var start = 0; start < chunks; start += ChunksPerDocument)
            {
                var source = string.Create(CultureInfo.InvariantCulture, $"corpus/{start / 1000:D3}/doc-{start}.md");
                var documentId = DocumentIds.ForSource(source);
                string[] groups = (start / ChunksPerDocument) % 10 == 0 ? ["hr"] : [];
                var batch = new List<IndexChunk>(ChunksPerDocument);
                for (var i = start; i < Math.Min(start + ChunksPerDocument, chunks); i++)
                {
                    var vector = all.AsMemory(i * dimensions, dimensions);
                    RandomUnit(random, vector.Span);
                    var text = vocabulary.Sentence(random, random.Next(30, 61));
                    batch.Add(new IndexChunk(DocumentIds.ForChunk(documentId, i - start), documentId, i - start, source, 1, text, DocumentIds.ContentHash(text), groups, vector));
                }

                await using var replacement = await index.BeginReplaceAsync(documentId);
                await replacement.AddAsync(batch);
                await replacement.CommitAsync();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built the index in {building.Elapsed.TotalSeconds:0.0} s ({chunks / building.Elapsed.TotalSeconds:N0} chunks/s), file {new FileInfo(database.FilePath).Length / 1e6:N0} MB"));

            var loading = Stopwatch.StartNew();
            var question = new float[dimensions];
            RandomUnit(random, question);
            await index.SearchAsync(new ChunkQuery(SearchMode.Vector, "", question, Top, ChunkFilter.Unrestricted));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first search (loads the vectors into memory): {loading.Elapsed.TotalMilliseconds:N0} ms"));

            var cases = new (string Name, Func<float[], string, Task> Run)[]
            {
                ("raw scan, 1 thread", (q, _) => Task.FromResult(RawScan(all, dimensions, q, 1))),
                ("raw scan, 2 threads", (q, _) => Task.FromResult(RawScan(all, dimensions, q, 2))),
                ("vector", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Vector, t, q, Top, ChunkFilter.Unrestricted))),
                ("keyword", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Keyword, t, q, Top, ChunkFilter.Unrestricted))),
                ("hybrid", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, t, q, Top, ChunkFilter.Unrestricted))),
                ("hybrid, public only", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, t, q, Top, ChunkFilter.Public))),
                ("hybrid, groups + glob", (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, t, q, Top, new ChunkFilter(AccessScope.ForGroups(["hr"]), ["corpus/0*/**"])))),
            };

            foreach (var (label, text) in new (string, Func<Random, string>)[]
            {
                ("questions of 3-6 words drawn from the whole vocabulary (common words included)", r => vocabulary.Sentence(r, r.Next(3, 7))),
                ("questions of 3-6 words outside the 100 most common", r => vocabulary.Sentence(r, r.Next(3, 7), skipMostCommon: 100)),
            })
            {
                Console.WriteLine();
                Console.WriteLine(label + ":");
                var timings = cases.Select(_ => new List<double>(queries)).ToArray();
                var queryRandom = new Random(7);
                for (var q = -WarmupQueries; q < queries; q++)
                {
                    var vector = new float[dimensions];
                    RandomUnit(queryRandom, vector);
                    var words = text(queryRandom);
                    for (var c = 0; c < cases.Length; c++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await cases[c].Run(vector, words);
                        if (q >= 0)
                        {
                            timings[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        }
                    }
                }

                Report(cases.Select(c => c.Name).ToArray(), timings);
            }

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average after: {LoadAverage()} (other builds on these cores add noise; compare ratios within one run)"));
            return 0;
        }
        finally
        {
            try
            {
                if (keep)
                {
                    Console.WriteLine("kept " + directory);
                }
                else
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                Console.WriteLine("could not delete " + directory);
            }
        }
    }

    private static void Report(string[] names, List<double>[] timings)
    {
        var floor1 = Percentile(timings[0], 0.5);
        var floor2 = Percentile(timings[1], 0.5);
        Console.WriteLine("  case                      p50 ms   p99 ms  mean ms   p50 / raw 1 thread   p50 / raw 2 threads");
        for (var c = 0; c < names.Length; c++)
        {
            var p50 = Percentile(timings[c], 0.5);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {names[c],-24} {p50,7:0.00}  {Percentile(timings[c], 0.99),7:0.00}  {timings[c].Average(),7:0.00}   {p50 / floor1,10:0.00}x   {p50 / floor2,16:0.00}x"));
        }
    }

    /// <summary>The floor: top-10 by dot product over one contiguous array, no filter, no database.</summary>
    private static int[] RawScan(float[] vectors, int dimensions, float[] query, int threads)
    {
        var rows = vectors.Length / dimensions;
        var partial = new PriorityQueue<int, float>[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var heap = new PriorityQueue<int, float>(Top + 1);
            var end = (int)((long)rows * (t + 1) / threads);
            for (var r = (int)((long)rows * t / threads); r < end; r++)
            {
                var score = TensorPrimitives.Dot(query, new ReadOnlySpan<float>(vectors, r * dimensions, dimensions));
                if (heap.Count < Top)
                {
                    heap.Enqueue(r, score);
                }
                else if (heap.TryPeek(out _, out var worst) && score > worst)
                {
                    heap.EnqueueDequeue(r, score);
                }
            }

            partial[t] = heap;
        });

        var merged = new PriorityQueue<int, float>();
        foreach (var heap in partial)
        {
            while (heap.TryDequeue(out var row, out var score))
            {
                merged.Enqueue(row, -score);
            }
        }

        return [.. Enumerable.Range(0, Math.Min(Top, merged.Count)).Select(_ => merged.Dequeue())];
    }

    private static void RandomUnit(Random random, Span<float> vector)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Made-up words with Zipf frequencies (the word of rank r is drawn with probability proportional to 1/r).</summary>
    private sealed class Vocabulary
    {
        private static readonly string[] Syllables =
        [
            "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "ber", "dan", "fel", "gor", "hul",
            "jin", "kes", "lum", "mor", "nal", "pri", "sto", "tra", "vel", "wen", "xo", "yar", "zul", "cor",
        ];

        private readonly string[] _words = new string[VocabularySize];
        private readonly double[] _cumulative = new double[VocabularySize];

        public Vocabulary(Random random)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < VocabularySize; i++)
            {
                string word;
                do
                {
                    var builder = new StringBuilder();
                    for (var s = random.Next(1, 4); s >= 0; s--)
                    {
                        builder.Append(Syllables[random.Next(Syllables.Length)]);
                    }

                    word = builder.ToString();
                }
                while (!seen.Add(word));

                _words[i] = word;
                _cumulative[i] = (i == 0 ? 0 : _cumulative[i - 1]) + (1.0 / (i + 1));
            }
        }

        public string Sentence(Random random, int words, int skipMostCommon = 0)
        {
            var builder = new StringBuilder();
            for (var w = 0; w < words; w++)
            {
                var low = _cumulative[skipMostCommon == 0 ? 0 : skipMostCommon - 1];
                var target = low + (random.NextDouble() * (_cumulative[^1] - low));
                var rank = Array.BinarySearch(_cumulative, target);
                builder.Append(w == 0 ? "" : " ").Append(_words[Math.Max(skipMostCommon, rank < 0 ? ~rank : rank)]);
            }

            return builder.ToString();
        }
    }
}
