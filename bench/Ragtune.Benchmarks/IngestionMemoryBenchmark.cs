using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Embedded.Embeddings;
using Ragtune.Embedded.Files;

namespace Ragtune.Benchmarks;

/// <summary>
/// Peak memory of ingesting one large text file (issue 2): generated English paragraphs (SciFact's sentences, reshuffled
/// into new paragraphs with the odd heading) of 10 MB and 50 MB. Embedding 50 MB with MiniLM would take about an hour,
/// so the pipeline runs with a stand-in embedder (<see cref="HashEmbeddingGenerator"/>: 384-d hash vectors, no model)
/// and measures the pipeline's own memory: reading, chunking, batching, the SQLite index and catalog. The real model's
/// memory is measured apart: MiniLM loaded with 2 sessions, after embedding a few chunks. Each measurement runs in a
/// process of its own, so that its peak resident set (VmHWM) is its own; resident memory and the GC heap are also
/// sampled during the ingestion, and reported when 10%, 25%, 50%, 75% and all of the file's chunks have been added.
/// </summary>
internal static partial class IngestionMemoryBenchmark
{
    private static readonly double[] Points = [0.10, 0.25, 0.50, 0.75, 1.0];

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = new Arguments(args);
        switch (arguments.Text("--child", string.Empty))
        {
            case "pipeline":
                return ChildProcess.Reply(await MeasurePipelineAsync(arguments.Text("--file", string.Empty)));
            case "model":
                return ChildProcess.Reply(await MeasureModelAsync(arguments.Text("--file", string.Empty)));
        }

        var corpus = arguments.Text("--corpus", SharedData.SciFactCorpus);
        var sizes = arguments.Text("--megabytes", "10,50").Split(',').Select(size => int.Parse(size, CultureInfo.InvariantCulture)).ToArray();
        if (SharedData.Missing(corpus) is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 1;
        }

        Console.WriteLine($"ingest-memory benchmark: one generated English text file of {string.Join(" and ", sizes.Select(s => s + " MB"))}, ingested into an empty index");
        Console.WriteLine("THE EMBEDDER IS A STAND-IN: deterministic hash-based unit vectors of 384 dimensions, no model (MiniLM would take ~an hour");
        Console.WriteLine("for 50 MB). This measures the pipeline's own memory; the real model's is measured apart, below.");
        Console.WriteLine(Machine.AtStart());
        using var folder = new TemporaryDirectory("ingest-memory");
        var files = sizes.Select(size => Path.Combine(folder.Path, $"generated-{size}mb.txt")).ToArray();
        for (var i = 0; i < sizes.Length; i++)
        {
            await WriteEnglishLikeTextAsync(files[i], corpus, sizes[i] * 1_000_000L);
        }

        Console.WriteLine();
        Console.WriteLine($"{"file",-6} {"chunks",7} {"time s",7} | RSS MB when this much of the file's chunks were added:{string.Empty,-2} | {"peak RSS",8} {"peak GC heap",12}");
        Console.WriteLine($"{string.Empty,-6} {string.Empty,7} {string.Empty,7} | {"start",6} {string.Join(' ', Points.Select(p => $"{p,6:P0}"))} {"commit",7} | {"MB",8} {"MB",12}");
        var reports = new List<PipelineReport>();
        for (var i = 0; i < sizes.Length; i++)
        {
            var report = await ChildProcess.RunAsync<PipelineReport>("ingest-memory", "--child", "pipeline", "--file", files[i]);
            reports.Add(report);
            var rss = Points.Select(point => report.At(point).Rss).Select(bytes => Machine.Megabytes(bytes).PadLeft(6));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{sizes[i] + " MB",-6} {report.Chunks,7} {report.Seconds,7:F1} | {Machine.Megabytes(report.StartRss),6} {string.Join(' ', rss)} {Machine.Megabytes(report.EndRss),7} | {Machine.Megabytes(report.PeakRss),8} {Machine.Megabytes(report.PeakGcHeap),12}"));
        }

        Console.WriteLine($"(start: the process with the stack built, before ingesting; commit: after the document's commit; peak RSS: VmHWM of the process)");
        Console.WriteLine();
        Console.WriteLine("GC heap at the same points (MB):");
        for (var i = 0; i < sizes.Length; i++)
        {
            Console.WriteLine($"{sizes[i] + " MB",-6} {string.Join(' ', Points.Select(point => Machine.Megabytes(reports[i].At(point).GcHeap).PadLeft(6)))}");
        }

        // The first load ever writes the model file (MiniLmOptions.ModelCacheDirectory); every later one reads it.
        await ChildProcess.RunAsync<ModelReport>("ingest-memory", "--child", "model", "--file", files[0]);
        var model = await ChildProcess.RunAsync<ModelReport>("ingest-memory", "--child", "model", "--file", files[0]);
        Console.WriteLine();
        Console.WriteLine("the real model, in a process of its own (MiniLM, 2 sessions loaded from the model file, after embedding 64 chunks of the file):");
        Console.WriteLine($"  RSS before loading {Machine.Megabytes(model.StartRss)} MB, loaded {Machine.Megabytes(model.LoadedRss)} MB, after embedding {Machine.Megabytes(model.EmbeddedRss)} MB, peak {Machine.Megabytes(model.PeakRss)} MB: the model adds {Machine.Megabytes(model.PeakRss - model.StartRss)} MB at its peak");
        var largest = reports[^1];
        Console.WriteLine($"  a real ingestion of the {sizes[^1]} MB file would peak near {Machine.Megabytes(largest.PeakRss + model.PeakRss - model.StartRss)} MB (the pipeline's peak plus what the model adds)");
        Console.WriteLine(Machine.AtEnd());
        return 0;
    }

    /// <summary>In a child process: ingests the file with the stand-in embedder and samples memory meanwhile.</summary>
    private static async Task<PipelineReport> MeasurePipelineAsync(string file)
    {
        using var data = new TemporaryDirectory("ingest-memory-data");
        await using var stack = await EmbeddedStack.StartAsync(data.Path, new HashEmbeddingGenerator());
        var pipeline = stack.Get<IngestionPipeline>();
        var document = new DocumentFolder(Path.GetDirectoryName(file)!, stack.Get<DocumentReaders>(), DocumentOriginKind.IngestedPath).Get(file);
        var startRss = Machine.ResidentBytes();

        var added = 0;
        var samples = new List<MemorySample>();
        using var stop = new CancellationTokenSource();
        void Sample()
        {
            lock (samples)
            {
                samples.Add(new MemorySample(Volatile.Read(ref added), Machine.ResidentBytes(), GC.GetTotalMemory(forceFullCollection: false)));
            }
        }

        var sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            try
            {
                do
                {
                    Sample();
                }
                while (await timer.WaitForNextTickAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
                Sample();
            }
        });

        var timing = Timing.Start();
        var result = await pipeline.IngestAsync(document, new Progress(chunks => Interlocked.Add(ref added, chunks)));
        var seconds = timing.Wall.TotalSeconds;
        var endRss = Machine.ResidentBytes();
        await stop.CancelAsync();
        await sampling;
        if (result.Outcome != IngestionOutcome.Indexed)
        {
            throw new InvalidOperationException($"The file was not indexed: {result.Outcome} {result.Error}", result.Exception);
        }

        return new PipelineReport(result.Chunks, seconds, startRss, endRss, Machine.PeakResidentBytes(), samples.Max(s => s.GcHeap), samples);
    }

    /// <summary>In a child process: loads MiniLM with 2 sessions and embeds 64 chunks of the file.</summary>
    private static async Task<ModelReport> MeasureModelAsync(string file)
    {
        using var data = new TemporaryDirectory("ingest-memory-model");
        await using var stack = await EmbeddedStack.StartAsync(data.Path, settings: new Dictionary<string, string?> { ["Ragtune:Embedding:MiniLm:Sessions"] = "2" });
        var generator = stack.Get<MiniLmEmbeddingGenerator>();
        var chunker = stack.Get<TextChunker>();
        var readers = stack.Get<DocumentReaders>();
        await using var content = File.OpenRead(file);
        var texts = await chunker.ChunkAsync(readers.ReadAsync(file, content)).Take(64).Select(chunk => chunk.EmbeddingText).ToArrayAsync();
        var startRss = Machine.ResidentBytes();
        await generator.LoadAsync();
        var loadedRss = Machine.ResidentBytes();
        await generator.GenerateAsync(texts);
        return new ModelReport(startRss, loadedRss, Machine.ResidentBytes(), Machine.PeakResidentBytes());
    }

    /// <summary>
    /// Writes about <paramref name="bytes"/> bytes of English: paragraphs of 3 to 8 sentences drawn at random from SciFact's
    /// abstracts, a blank line between paragraphs, and a title as a heading every 5 to 15 paragraphs. Deterministic.
    /// </summary>
    private static async Task WriteEnglishLikeTextAsync(string path, string corpus, long bytes)
    {
        var documents = await SharedData.ReadSciFactAsync(corpus);
        var sentences = documents.SelectMany(document => SentenceEnd().Split(document.Text)).Where(s => s.Length > 20).ToArray();
        var random = new Random(2026);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var nextHeading = 0;
        while (writer.BaseStream.Position < bytes)
        {
            if (nextHeading-- == 0)
            {
                writer.Write(documents[random.Next(documents.Count)].Title);
                writer.Write("\n\n");
                nextHeading = random.Next(5, 16);
            }

            for (var s = random.Next(3, 9); s > 0; s--)
            {
                writer.Write(sentences[random.Next(sentences.Length)]);
                writer.Write(s > 1 ? " " : "\n\n");
            }

            writer.Flush();
        }
    }

    /// <summary>The space after a sentence's full stop, question or exclamation mark, before a capital.</summary>
    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z])")]
    private static partial Regex SentenceEnd();

    /// <summary>Chunks added so far, resident memory and GC heap at one moment.</summary>
    internal sealed record MemorySample(int Chunks, long Rss, long GcHeap);

    internal sealed record PipelineReport(int Chunks, double Seconds, long StartRss, long EndRss, long PeakRss, long PeakGcHeap, List<MemorySample> Samples)
    {
        /// <summary>The first sample taken once <paramref name="fraction"/> of the chunks had been added.</summary>
        public MemorySample At(double fraction) =>
            Samples.FirstOrDefault(sample => sample.Chunks >= fraction * Chunks) ?? Samples[^1];
    }

    internal sealed record ModelReport(long StartRss, long LoadedRss, long EmbeddedRss, long PeakRss);

    /// <summary>Counts chunks as batches are written, on the writer's thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Progress(Action<int> added) : IProgress<IngestionProgress>
    {
        public void Report(IngestionProgress value) => added(value.ChunksWritten);
    }
}
