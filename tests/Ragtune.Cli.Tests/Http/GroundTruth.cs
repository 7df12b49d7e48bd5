using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Http;

/// <summary>A question of the Contoso evaluation set and the pages its reference answer cites (<c>file.pdf#page=N</c>).</summary>
public sealed partial record GroundTruthCase(string Question, IReadOnlyList<(string File, int Page)> Cited)
{
    public IReadOnlySet<string> Files => Cited.Select(c => c.File).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every case of <c>contoso/evals/ground_truth.jsonl</c> that cites at least one page.</summary>
    public static IReadOnlyList<GroundTruthCase> Load()
    {
        var cases = new List<GroundTruthCase>();
        foreach (var line in File.ReadLines(SharedData.ContosoGroundTruth).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            using var document = JsonDocument.Parse(line);
            var question = document.RootElement.GetProperty("question").GetString()!;
            var truth = document.RootElement.GetProperty("truth").GetString()!;
            var cited = CitedPage().Matches(truth)
                .Select(m => (m.Groups["file"].Value, int.Parse(m.Groups["page"].Value, CultureInfo.InvariantCulture)))
                .ToList();
            if (cited.Count > 0)
            {
                cases.Add(new GroundTruthCase(question, cited));
            }
        }

        return cases;
    }

    [GeneratedRegex(@"(?<file>[\w.-]+\.(?:pdf|md))#page=(?<page>\d+)")]
    private static partial Regex CitedPage();
}
