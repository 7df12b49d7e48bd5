using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Evaluation;

/// <summary>
/// A small slice of SciFact written to a temp folder (never to the repository): the first <see cref="QueryCount"/> test
/// queries, their judged documents, and the corpus's first other documents up to <see cref="DocumentCount"/>. It is
/// evaluated once into a kept index in another temp folder, so later runs of the class embed nothing.
/// </summary>
public sealed class SciFactSliceFixture : IAsyncLifetime
{
    public const int QueryCount = 30;

    public const int DocumentCount = 150;

    public TempDirectory Files { get; } = new();

    public TempDirectory Index { get; } = new();

    public string Corpus => Files.Combine("corpus.jsonl");

    public string Queries => Files.Combine("queries.jsonl");

    public string Qrels => Files.Combine("qrels.tsv");

    /// <summary>The first run: <c>ragtune eval ... --index DIR --json</c>, every mode.</summary>
    public CommandRun FirstRun { get; private set; } = new(-1, string.Empty);

    public async Task InitializeAsync()
    {
        var qrelLines = File.ReadLines(Path.Combine(SharedData.SciFact, "qrels", "test.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .ToList();
        var queryIds = qrelLines.Select(fields => fields[0]).Distinct().Take(QueryCount).ToHashSet(StringComparer.Ordinal);
        var kept = qrelLines.Where(fields => queryIds.Contains(fields[0])).ToList();
        var judged = kept.Select(fields => fields[1]).ToHashSet(StringComparer.Ordinal);

        var corpusLines = File.ReadLines(Path.Combine(SharedData.SciFact, "corpus.jsonl")).ToList();
        var slice = corpusLines.Where(line => judged.Contains(IdOf(line))).ToList();
        slice.AddRange(corpusLines.Where(line => !judged.Contains(IdOf(line))).Take(DocumentCount - slice.Count));

        await File.WriteAllLinesAsync(Corpus, slice);
        await File.WriteAllLinesAsync(
            Queries, File.ReadLines(Path.Combine(SharedData.SciFact, "queries.jsonl")).Where(line => queryIds.Contains(IdOf(line))));
        await File.WriteAllLinesAsync(Qrels, ["query-id\tcorpus-id\tscore", .. kept.Select(fields => string.Join('\t', fields))]);

        FirstRun = await RagtuneCommand.RunAsync(Arguments("--json"));
    }

    /// <summary>The eval command line over the slice and the kept index, with <paramref name="more"/> after it.</summary>
    public string[] Arguments(params string[] more) =>
        ["eval", "--corpus", Corpus, "--queries", Queries, "--qrels", Qrels, "--index", Index.Path, .. more];

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Files.Dispose();
        Index.Dispose();
        return Task.CompletedTask;
    }

    // Every SciFact line starts {"_id": "ID", ...
    private static string IdOf(string line)
    {
        var start = line.IndexOf(':', StringComparison.Ordinal) + 1;
        var open = line.IndexOf('"', start) + 1;
        return line[open..line.IndexOf('"', open)];
    }
}
