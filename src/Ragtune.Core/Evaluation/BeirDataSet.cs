using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Ragtune.Core.Evaluation;

/// <summary>A document of a BEIR corpus (<c>corpus.jsonl</c>: <c>_id</c>, <c>title</c>, <c>text</c>).</summary>
public sealed record BeirDocument(string Id, string Title, string Text)
{
    /// <summary>The text that is indexed: the title, a blank line, then the body (or either alone).</summary>
    public string IndexedText => Title.Length == 0 ? Text : Text.Length == 0 ? Title : $"{Title}\n\n{Text}";

    /// <summary>
    /// The document as Markdown, as <see cref="RetrievalEvaluator"/> ingests it: the title as a heading (on one line), a
    /// blank line, then the body; so every chunk knows the title as its section, as a document's chunks know their
    /// headings. The body alone when there is no title.
    /// </summary>
    public string MarkdownText
    {
        get
        {
            var title = string.Join(' ', Title.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return title.Length == 0 ? Text : Text.Length == 0 ? $"# {title}" : $"# {title}\n\n{Text}";
        }
    }
}

/// <summary>A query of a BEIR data set (<c>queries.jsonl</c>: <c>_id</c>, <c>text</c>).</summary>
public sealed record BeirQuery(string Id, string Text);

/// <summary>
/// Relevance judgements (a BEIR <c>qrels/*.tsv</c> file: <c>query-id corpus-id score</c>): for each judged query, the
/// graded relevance of each judged document. Only documents with a grade above zero count as relevant.
/// </summary>
public sealed class RelevanceJudgments
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, int>> _byQuery;

    public RelevanceJudgments(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> byQuery)
    {
        _byQuery = new Dictionary<string, IReadOnlyDictionary<string, int>>(byQuery, StringComparer.Ordinal);
    }

    /// <summary>The judged queries' ids, in the order of the file.</summary>
    public IReadOnlyCollection<string> QueryIds => _byQuery.Keys;

    /// <summary>The grades of the documents judged for a query (empty for an unjudged query).</summary>
    public IReadOnlyDictionary<string, int> For(string queryId) =>
        _byQuery.TryGetValue(queryId, out var grades) ? grades : new Dictionary<string, int>();

    /// <summary>True when a document is judged relevant (grade above 0) to the query: only such queries are evaluated.</summary>
    public bool HasRelevant(string queryId) => For(queryId).Values.Any(grade => grade > 0);
}

/// <summary>Reads the three files of a BEIR data set.</summary>
public static class BeirDataSet
{
    /// <summary>The documents of <c>corpus.jsonl</c>, in file order.</summary>
    public static async IAsyncEnumerable<BeirDocument> ReadCorpusAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (line, root) in ReadJsonLinesAsync(path, cancellationToken))
        {
            yield return new BeirDocument(
                RequiredId(root, path, line),
                OptionalString(root, "title"),
                OptionalString(root, "text"));
        }
    }

    /// <summary>The queries of <c>queries.jsonl</c>, in file order.</summary>
    public static async IAsyncEnumerable<BeirQuery> ReadQueriesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (line, root) in ReadJsonLinesAsync(path, cancellationToken))
        {
            yield return new BeirQuery(RequiredId(root, path, line), OptionalString(root, "text"));
        }
    }

    /// <summary>The judgements of a qrels file: tab-separated <c>query-id corpus-id score</c>, with an optional header line.</summary>
    public static async Task<RelevanceJudgments> ReadJudgmentsAsync(string path, CancellationToken cancellationToken = default)
    {
        var byQuery = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var order = new List<string>();
        var number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != 3 || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var grade))
            {
                if (number == 1)
                {
                    continue; // the header: query-id corpus-id score
                }

                throw new InvalidDataException($"{path} line {number}: expected 'query-id<TAB>corpus-id<TAB>score' with an integer score.");
            }

            if (!byQuery.TryGetValue(fields[0], out var grades))
            {
                grades = new Dictionary<string, int>(StringComparer.Ordinal);
                byQuery.Add(fields[0], grades);
                order.Add(fields[0]);
            }

            grades[fields[1]] = grade;
        }

        return new RelevanceJudgments(order.ToDictionary(id => id, id => (IReadOnlyDictionary<string, int>)byQuery[id], StringComparer.Ordinal));
    }

    private static async IAsyncEnumerable<(int Line, JsonElement Root)> ReadJsonLinesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new InvalidDataException($"{path} line {number}: not a JSON object ({exception.Message}).", exception);
            }

            yield return (number, root);
        }
    }

    private static string RequiredId(JsonElement root, string path, int line) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("_id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText()
            : throw new InvalidDataException($"{path} line {line}: no \"_id\".");

    private static string OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
