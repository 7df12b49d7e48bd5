using System.Globalization;
using Ragtune.Core.Documents;
using Ragtune.Core.Evaluation;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Embedded.Files;

namespace Ragtune.Benchmarks;

/// <summary>The ground-truth questions and the stack over the Contoso index, for one benchmark run.</summary>
internal sealed record ContosoSession(IReadOnlyList<GroundTruthQuestion> Questions, EmbeddedStack Stack) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Stack.DisposeAsync();
}

/// <summary>
/// The Contoso document set ingested into the embedded default (MiniLM, SQLite) with the product's defaults, in a data
/// directory kept between runs: the pipeline skips documents it has already indexed, so only the first run pays for
/// ingestion (a few minutes for ~250 PDF pages). Also the ground-truth questions with their citations.
/// </summary>
internal static class ContosoIndex
{
    /// <summary>Where the index is kept when <c>--data</c> is not given.</summary>
    public static string DefaultDataDirectory => Path.Combine(Path.GetTempPath(), "ragtune-bench-contoso");

    /// <summary>
    /// What a Contoso benchmark starts with: its options (<c>--data</c>, <c>--documents</c>, <c>--ground-truth</c>), the
    /// ground truth, the header lines (<paramref name="title"/> of the questions, then the machine), and the index, opened
    /// and up to date. Null, with the reason printed, when the data are missing.
    /// </summary>
    public static async Task<ContosoSession?> StartAsync(string[] args, Func<IReadOnlyList<GroundTruthQuestion>, string> title)
    {
        var arguments = new Arguments(args);
        var documents = arguments.Text("--documents", SharedData.ContosoDocuments);
        var groundTruth = arguments.Text("--ground-truth", SharedData.ContosoGroundTruth);
        if (SharedData.Missing(documents, groundTruth) is { } missing)
        {
            Console.Error.WriteLine(missing);
            return null;
        }

        var questions = Lines(await AnswerEvaluator.ReadGroundTruthAsync(groundTruth), arguments.Text("--lines", "all"));
        var settings = arguments.Settings();
        Console.WriteLine(title(questions));
        Console.WriteLine(Machine.AtStart());
        if (settings.Count > 0)
        {
            Console.WriteLine($"settings: {string.Join(", ", settings.Select(setting => $"{setting.Key}={setting.Value}"))}");
        }

        return new ContosoSession(questions, await OpenAsync(arguments.Text("--data", DefaultDataDirectory), documents, settings));
    }

    /// <summary>
    /// The ground-truth file's odd lines (1, 3, ...: the half to tune on), its even lines (2, 4, ...: the half to report
    /// on), or all of them (<c>--lines odd|even|all</c>).
    /// </summary>
    private static List<GroundTruthQuestion> Lines(IReadOnlyList<GroundTruthQuestion> questions, string lines) => lines switch
    {
        "all" => [.. questions],
        "odd" => [.. questions.Where((_, at) => at % 2 == 0)],
        "even" => [.. questions.Where((_, at) => at % 2 == 1)],
        _ => throw new ArgumentException($"--lines is odd, even or all, not {lines}."),
    };

    /// <summary>Starts the stack over <paramref name="dataDirectory"/> and ingests whatever of the documents folder is new or changed.</summary>
    private static async Task<EmbeddedStack> OpenAsync(string dataDirectory, string documentsFolder, IReadOnlyDictionary<string, string?> settings)
    {
        var stack = await EmbeddedStack.StartAsync(dataDirectory, settings: settings);
        try
        {
            var documents = new DocumentFolder(documentsFolder, stack.Get<DocumentReaders>(), DocumentOriginKind.IngestedPath).List();
            var timing = Timing.Start();
            var results = await stack.Get<IngestionPipeline>().IngestManyAsync(documents);
            var failed = results.Where(result => !result.Succeeded).ToList();
            if (failed.Count > 0)
            {
                throw new InvalidOperationException($"Could not ingest {string.Join(", ", failed.Select(f => $"{f.Source} ({f.Error})"))}.");
            }

            var indexed = results.Where(result => result.Outcome == IngestionOutcome.Indexed).ToList();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"index: {results.Count} documents, {results.Sum(r => r.Chunks)} chunks in {Path.GetFullPath(dataDirectory)} ({indexed.Count} ingested now in {timing.Wall.TotalSeconds:F0} s, {results.Count - indexed.Count} already there)"));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }
}
