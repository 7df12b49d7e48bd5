using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ragtune.Cli.Verification;

/// <summary>The question <c>ragtune verify</c> asks.</summary>
/// <param name="Text">The question.</param>
/// <param name="Given">True when the user gave it (<c>--question</c>).</param>
internal sealed partial record AskedQuestion(string Text, bool Given)
{
    public const string Generic = "What do these documents cover?";

    /// <summary>A question about the first indexed document, made from its file name (<c>handbook/paid-leave.pdf</c>: "What is paid leave about?").</summary>
    public static AskedQuestion About(IReadOnlyList<JsonElement>? documents)
    {
        var source = documents?.Where(d => d.StringOrNull("status") == "indexed").Select(d => d.StringOrNull("source")).FirstOrDefault(s => s is not null);
        var name = source is null ? string.Empty : Separators().Replace(Path.GetFileNameWithoutExtension(source), " ").Trim();
        return new AskedQuestion(name.Length == 0 ? Generic : $"What is {name} about?", Given: false);
    }

    /// <summary>The warning for an answer that is well-formed but not grounded.</summary>
    public string NotGrounded() => Given
        ? $"not grounded: no document passed the similarity threshold for \"{Text}\""
        : $"not grounded: no document passed the similarity threshold for \"{Text}\" (made from the first document's name); pass --question with one the documents answer";

    [GeneratedRegex(@"[\s\-_.]+")]
    private static partial Regex Separators();
}

/// <summary>
/// POST /api/ask as JSON and as server-sent events (<c>citations</c>, <c>delta</c>s, <c>done</c> with the JSON answer's
/// fields): each must be a well-formed answer; one that is not grounded is a warning. Keeps an answer id to rate.
/// </summary>
internal sealed class AnswerChecks(DeploymentClient client)
{
    public const string Ask = "ask";
    public const string AskStream = "ask-stream";

    /// <summary>The id of an answer just given: the JSON ask's, else the stream's; null when neither gave one.</summary>
    public string? AnswerId { get; private set; }

    public async Task<CheckResult> CheckJsonAsync(AskedQuestion question, CancellationToken cancellationToken = default)
    {
        var reply = await client.SendAsync(ApiCall.Post("api/ask", Body(question)), cancellationToken);
        if (reply.Status != 200)
        {
            return reply.Unexpected(Ask, "200");
        }

        if (reply.MediaType != "application/json" || reply.Json is not { } body)
        {
            return reply.Result(Ask, CheckOutcome.Fail, $"the body is not JSON ({reply.MediaType ?? "no media type"})");
        }

        var answer = AnswerShape.Read(body);
        if (!answer.IsWellFormed)
        {
            return reply.Result(Ask, CheckOutcome.Fail, string.Join("; ", answer.Problems));
        }

        AnswerId = answer.AnswerId;
        return reply.Result(Ask, answer.Grounded ? CheckOutcome.Pass : CheckOutcome.Warn, answer.Grounded ? answer.Describe() : $"{question.NotGrounded()} ({answer.Describe()})");
    }

    public async Task<CheckResult> CheckStreamAsync(AskedQuestion question, CancellationToken cancellationToken = default)
    {
        var (reply, events) = await client.SendForEventsAsync(ApiCall.Post("api/ask", Body(question)), cancellationToken);
        if (reply.Status != 200)
        {
            return reply.Unexpected(AskStream, "200");
        }

        if (events is null)
        {
            return reply.Result(AskStream, CheckOutcome.Fail, $"asked for text/event-stream, got {reply.MediaType ?? "no media type"}");
        }

        var (answer, problem) = ReadStream(events);
        if (problem is not null)
        {
            return new CheckResult(AskStream, CheckOutcome.Fail, problem.Detail) { Status = reply.Status, Code = problem.Code };
        }

        AnswerId ??= answer!.AnswerId;
        var deltas = events.Count(e => e.EventType == "delta");
        var seen = string.Create(CultureInfo.InvariantCulture, $"citations, {deltas} deltas, done: {answer!.Describe()}");
        return reply.Result(AskStream, answer.Grounded ? CheckOutcome.Pass : CheckOutcome.Warn, answer.Grounded ? seen : $"{question.NotGrounded()} ({seen})");
    }

    /// <summary>The stream's answer, or what is wrong with the stream (with the code of an <c>error</c> event).</summary>
    private static (AnswerShape? Answer, StreamProblem? Problem) ReadStream(IReadOnlyList<SseItem<string>> events)
    {
        var names = events.Select(e => e.EventType).ToList();
        var data = new List<JsonElement>();
        foreach (var item in events)
        {
            try
            {
                using var document = JsonDocument.Parse(item.Data);
                data.Add(document.RootElement.Clone());
            }
            catch (JsonException)
            {
                return (null, new StreamProblem($"the data of the {item.EventType} event is not JSON"));
            }
        }

        if (names.IndexOf("error") is var error and >= 0)
        {
            return (null, new StreamProblem($"the stream ended with an error event: {data[error].StringOrNull("detail") ?? data[error].GetRawText()}", data[error].StringOrNull("code")));
        }

        if (names.Count == 0 || names[0] != "citations" || data[0].OfKind("citations", JsonValueKind.Array) is not { } citations)
        {
            return (null, new StreamProblem($"the first event is not citations with a citations array (events: {Summary(names)})"));
        }

        if (AnswerShape.CitationProblems(citations).FirstOrDefault() is { } citationProblem)
        {
            return (null, new StreamProblem($"citations event: {citationProblem}"));
        }

        if (names[^1] != "done" || names.Count(n => n == "done") != 1)
        {
            return (null, new StreamProblem($"the stream did not end with one done event (events: {Summary(names)})"));
        }

        var text = new StringBuilder();
        for (var i = 1; i < names.Count - 1; i++)
        {
            if (names[i] != "delta" || data[i].StringOrNull("text") is not { } piece)
            {
                return (null, new StreamProblem(string.Create(CultureInfo.InvariantCulture, $"event {i + 1} is not a delta with text (events: {Summary(names)})")));
            }

            text.Append(piece);
        }

        var done = data[^1];
        var answer = AnswerShape.Read(done);
        if (!answer.IsWellFormed)
        {
            return (null, new StreamProblem($"done event: {string.Join("; ", answer.Problems)}"));
        }

        if (done.StringOrNull("answer") != text.ToString())
        {
            return (null, new StreamProblem("the deltas do not add up to the done event's answer"));
        }

        return JsonElement.DeepEquals(citations, done.GetProperty("citations"))
            ? (answer, null)
            : (null, new StreamProblem("the done event's citations are not the citations event's"));
    }

    /// <summary>The event names in order, runs of deltas counted: <c>citations, delta x12, done</c>.</summary>
    private static string Summary(List<string> names)
    {
        if (names.Count == 0)
        {
            return "none";
        }

        var runs = new List<string>();
        for (var start = 0; start < names.Count;)
        {
            var end = start;
            while (end < names.Count && names[end] == names[start])
            {
                end++;
            }

            runs.Add(end - start == 1 ? names[start] : string.Create(CultureInfo.InvariantCulture, $"{names[start]} x{end - start}"));
            start = end;
        }

        return string.Join(", ", runs);
    }

    private static string Body(AskedQuestion question) => JsonSerializer.Serialize(new Dictionary<string, string> { ["question"] = question.Text });
}

/// <summary>What is wrong with a streamed answer, with the <c>code</c> of an <c>error</c> event.</summary>
internal sealed record StreamProblem(string Detail, string? Code = null);
