using System.Globalization;
using System.Text.Json;

namespace Ragtune.Cli.Verification;

/// <summary>
/// An answer as the API documents it (the JSON body of POST /api/ask and the <c>done</c> event of its stream), read from
/// the wire without trusting its shape.
/// </summary>
internal sealed record AnswerShape(string? AnswerId, bool Grounded, int Citations, IReadOnlyList<string> Problems)
{
    private static readonly string[] CitationFields = ["documentId", "source"];

    public bool IsWellFormed => Problems.Count == 0;

    public static AnswerShape Read(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object)
        {
            return new AnswerShape(null, false, 0, ["the answer is not a JSON object"]);
        }

        var problems = new List<string>();
        var answerId = answer.StringOrNull("answerId");
        if (answerId is null)
        {
            problems.Add("the answer has no answerId");
        }
        else if (!Core.Ulid.IsValid(answerId))
        {
            problems.Add($"the answerId '{answerId}' is not a 26-character answer id");
        }

        if (string.IsNullOrWhiteSpace(answer.StringOrNull("answer")))
        {
            problems.Add("the answer has no text");
        }

        if (answer.StringOrNull("model") is null)
        {
            problems.Add("the answer names no model");
        }

        var grounded = answer.BooleanOrNull("grounded");
        if (grounded is null)
        {
            problems.Add("the answer has no grounded flag");
        }

        var citations = answer.OfKind("citations", JsonValueKind.Array);
        if (citations is null)
        {
            problems.Add("the answer has no citations array");
        }
        else
        {
            problems.AddRange(CitationProblems(citations.Value));
            var count = citations.Value.GetArrayLength();
            if (grounded == true && count == 0)
            {
                problems.Add("the answer is grounded but cites nothing");
            }
            else if (grounded == false && count > 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"the answer is not grounded but has {count} citations"));
            }
        }

        return new AnswerShape(answerId, grounded ?? false, citations?.GetArrayLength() ?? 0, problems);
    }

    /// <summary>The problems of a citations array: each citation an object with its <c>ref</c>, <c>documentId</c> and <c>source</c>.</summary>
    public static IEnumerable<string> CitationProblems(JsonElement citations)
    {
        var number = 0;
        foreach (var citation in citations.EnumerateArray())
        {
            number++;
            var missing = CitationFields.Where(name => citation.StringOrNull(name) is null).ToList();
            if (citation.OfKind("ref", JsonValueKind.Number) is null)
            {
                missing.Insert(0, "ref");
            }

            if (missing.Count > 0)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"citation {number} has no {string.Join(", ", missing)}");
            }
        }
    }

    /// <summary>What the answer was, for a line that passes: <c>grounded, 3 citations, answer 01J...</c>.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Grounded ? "grounded" : "not grounded")}, {Citations} citation{(Citations == 1 ? "" : "s")}, answer {AnswerId}");
}
