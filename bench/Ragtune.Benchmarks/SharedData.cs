using System.Text.Json;

using Ragtune.Core.Evaluation;

namespace Ragtune.Benchmarks;

/// <summary>
/// The public data sets in <c>../shared/data</c> beside the repository, by their default paths relative to the repository
/// root (benchmarks run from there), and the readers of their files.
/// </summary>
internal static class SharedData
{
    public static string Root => Path.Combine("..", "shared", "data");

    public static string SciFactCorpus => Path.Combine(Root, "scifact", "corpus.jsonl");

    public static string ContosoDocuments => Path.Combine(Root, "contoso", "documents");

    public static string ContosoGroundTruth => Path.Combine(Root, "contoso", "evals", "ground_truth.jsonl");

    /// <summary>The SciFact queries file beside a corpus file.</summary>
    public static string SciFactQueriesBeside(string corpus) => Path.Combine(Path.GetDirectoryName(corpus)!, "queries.jsonl");

    /// <summary>SciFact (BEIR) abstracts, read by Core's BEIR reader, in file order; those without text are skipped.</summary>
    public static async Task<List<BeirDocument>> ReadSciFactAsync(string corpus) =>
        await BeirDataSet.ReadCorpusAsync(corpus).Where(document => document.Text.Length > 0).ToListAsync();

    /// <summary>The <c>text</c> of every line of a JSON Lines file (SciFact abstracts or queries) that has one.</summary>
    public static IEnumerable<string> ReadTexts(string jsonLinesPath) =>
        ReadJsonLines(jsonLinesPath)
            .Select(record => record.GetProperty("text").GetString() ?? string.Empty)
            .Where(text => text.Length > 0);

    /// <summary>Fails with a message that says where the file was expected, for a benchmark to print.</summary>
    public static string? Missing(params string[] paths) =>
        paths.FirstOrDefault(path => !File.Exists(path) && !Directory.Exists(path)) is { } missing
            ? $"No data at {Path.GetFullPath(missing)}: run from the repository root, or pass the path."
            : null;

    private static IEnumerable<JsonElement> ReadJsonLines(string path) =>
        File.ReadLines(path)
            .Where(line => !string.IsNullOrWhiteSpace(line))
            .Select(line => JsonSerializer.Deserialize<JsonElement>(line));
}
