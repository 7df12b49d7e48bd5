using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ragtune.Cli.Tests.Contract;

/// <summary>
/// The bodies of ../shared/design/http-api.md, checked exactly: every field the contract names, and no other.
/// </summary>
public static partial class ApiShapes
{
    public static readonly string[] AnswerFields = ["answerId", "answer", "grounded", "citations", "model", "usage", "timings"];

    public static readonly string[] CitationFields = ["ref", "documentId", "source", "page", "chunkId", "similarity", "text"];

    /// <summary>Citation fields present only when they have a value: the chunk's headings, and the page it ends on when after <c>page</c>.</summary>
    public static readonly string[] OptionalCitationFields = ["section", "lastPage"];

    public static readonly string[] DocumentFields = ["documentId", "source", "contentHash", "chunks", "status", "indexedAt", "groups"];

    public static readonly string[] ProblemFields = ["type", "title", "status", "detail", "code"];

    /// <summary>Asserts that an object has exactly these properties.</summary>
    public static void HasExactly(JsonElement element, IEnumerable<string> names)
    {
        Assert.Equal(JsonValueKind.Object, element.ValueKind);
        Assert.Equal(names.Order(StringComparer.Ordinal), element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>Asserts that an object has every one of <paramref name="required"/> and no property but those and <paramref name="optional"/>.</summary>
    public static void HasExactly(JsonElement element, IEnumerable<string> required, IEnumerable<string> optional)
    {
        var names = element.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        HasExactly(element, required.Concat(optional.Where(names.Contains)));
    }

    /// <summary>An answer (the JSON body of POST /api/ask, or the <c>done</c> event): fields, id, model, timings, citations numbered from 1, and [n] markers that refer to them.</summary>
    public static void AssertAnswer(JsonElement answer)
    {
        HasExactly(answer, AnswerFields);
        Assert.Matches(Ulid(), answer.GetProperty("answerId").GetString());
        Assert.Equal("extractive", answer.GetProperty("model").GetString());
        HasExactly(answer.GetProperty("usage"), ["inputTokens", "outputTokens"]);
        var timings = answer.GetProperty("timings");
        HasExactly(timings, ["retrievalMs", "generationMs"]);
        Assert.True(timings.GetProperty("retrievalMs").GetInt64() >= 0);
        Assert.True(timings.GetProperty("generationMs").GetInt64() >= 0);

        var citations = answer.GetProperty("citations").EnumerateArray().ToList();
        for (var i = 0; i < citations.Count; i++)
        {
            var citation = citations[i];
            HasExactly(citation, CitationFields, OptionalCitationFields);
            Assert.Equal(i + 1, citation.GetProperty("ref").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(citation.GetProperty("text").GetString()));
            Assert.StartsWith(citation.GetProperty("documentId").GetString()!, citation.GetProperty("chunkId").GetString(), StringComparison.Ordinal);
            var page = citation.GetProperty("page").GetInt32();
            Assert.True(page >= 1);
            if (citation.TryGetProperty("section", out var section))
            {
                Assert.False(string.IsNullOrWhiteSpace(section.GetString()));
            }

            if (citation.TryGetProperty("lastPage", out var lastPage))
            {
                Assert.True(lastPage.GetInt32() > page);
            }
            var similarity = citation.GetProperty("similarity").GetSingle();
            Assert.InRange(similarity, 0f, 1.0001f);
        }

        var text = answer.GetProperty("answer").GetString();
        Assert.False(string.IsNullOrWhiteSpace(text));
        var markers = Markers(text!);
        Assert.All(markers, n => Assert.InRange(n, 1, citations.Count));
        if (answer.GetProperty("grounded").GetBoolean())
        {
            Assert.NotEmpty(citations);
        }
        else
        {
            Assert.Empty(citations);
        }
    }

    /// <summary>The [n] citation markers of an answer's text.</summary>
    public static IReadOnlyList<int> Markers(string answer) =>
        [.. Marker().Matches(answer).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The body of GET /api/documents (and of <c>ragtune documents --json</c>).</summary>
    public static IReadOnlyList<JsonElement> AssertDocuments(JsonElement body)
    {
        HasExactly(body, ["documents"]);
        var documents = body.GetProperty("documents").EnumerateArray().ToList();
        foreach (var document in documents)
        {
            var status = document.GetProperty("status").GetString();
            Assert.Contains(status, new[] { "indexed", "failed" });
            HasExactly(document, status == "failed" ? [.. DocumentFields, "error"] : DocumentFields);
            if (status == "failed")
            {
                Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("error").GetString()));
            }
            else
            {
                Assert.Matches(Sha256(), document.GetProperty("contentHash").GetString());
                Assert.True(document.GetProperty("chunks").GetInt32() > 0);
            }

            Assert.Matches(HexId(), document.GetProperty("documentId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("source").GetString()));
            Assert.True(document.GetProperty("indexedAt").TryGetDateTimeOffset(out _));
            Assert.Equal(JsonValueKind.Array, document.GetProperty("groups").ValueKind);
        }

        return documents;
    }

    /// <summary>
    /// An error answer: RFC 9457 Problem Details as <c>application/problem+json</c> with the contract's fields, a
    /// stable <c>code</c> whose <c>type</c> names it, and a detail that holds no exception text.
    /// </summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problem = document.RootElement.Clone();
        Assert.All(ProblemFields, name => Assert.True(problem.TryGetProperty(name, out _), $"The problem has no '{name}': {problem}"));
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        var code = problem.GetProperty("code").GetString();
        Assert.Matches("^[a-z]+(-[a-z]+)*$", code);
        Assert.Equal($"urn:ragtune:problem:{code}", problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", detail, StringComparison.Ordinal);
        return problem;
    }

    [GeneratedRegex("^[0-7][0-9A-HJKMNP-TV-Z]{25}$")]
    private static partial Regex Ulid();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Marker();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexId();
}
