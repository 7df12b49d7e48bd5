using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Http.Auth;

namespace Ragtune.Http;

/// <summary>A message of a front end's conversation: <c>user</c>, <c>assistant</c> or <c>system</c>, its text, and where the text was in the request (for errors).</summary>
public sealed record ConversationTurn(string Role, string Text, string Path)
{
    public const string System = "system";
}

/// <summary>
/// A front end's conversation (OpenAI <c>messages</c>, the AI SDK's UI messages) as the ask it stands for: the last
/// message, the user's, is the question; earlier user and assistant messages are the history, the most recent
/// <see cref="ApiLimitsOptions.MaxHistoryTurns"/> of them. System messages are left out: Ragtune's own prompt decides how
/// it answers, and a client's instructions neither replace nor join it. Core's checks of the ask then apply as for
/// POST /api/ask, and their field errors name the request's own fields.
/// </summary>
public sealed partial class Conversation
{
    private readonly string _questionPath;
    private readonly IReadOnlyList<string> _historyPaths;

    private Conversation(AskRequest request, string questionPath, IReadOnlyList<string> historyPaths)
    {
        Request = request;
        _questionPath = questionPath;
        _historyPaths = historyPaths;
    }

    /// <summary>The ask: question and history, nothing else (the retrieval settings are the server's).</summary>
    public AskRequest Request { get; }

    /// <summary>The conversation, or a problem naming <paramref name="messagesPath"/> when it does not end with the user's question.</summary>
    public static ApiResult<Conversation> From(IReadOnlyList<ConversationTurn> turns, string messagesPath, ApiLimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentNullException.ThrowIfNull(limits);
        var spoken = turns.Where(t => t.Role != ConversationTurn.System).ToList();
        if (spoken.Count == 0 || spoken[^1].Role != ChatTurn.User)
        {
            return Invalid(messagesPath, "The last message must be the user's question.");
        }

        var history = spoken[..^1].Where(t => !string.IsNullOrWhiteSpace(t.Text)).TakeLast(limits.MaxHistoryTurns).ToList();
        var question = spoken[^1];
        return new Conversation(
            new AskRequest(question.Text, [.. history.Select(t => new AskHistoryTurn(t.Role, t.Text))]),
            question.Path,
            [.. history.Select(t => t.Path)]);
    }

    /// <summary>
    /// What every conversation endpoint reads before it asks, in the order of POST /api/ask: the caller's access (the one
    /// shared <see cref="CallerAccess"/> check), the body within the limit, the protocol's reading of it
    /// (<paramref name="read"/>, the call, whose conversation <paramref name="conversationOf"/> gives), and Core's checks of the ask.
    /// </summary>
    public static async Task<ApiResult<(TCall Call, QuestionRequest Question)>> ReadAsync<TBody, TCall>(
        HttpRequest request,
        RagtuneApi api,
        CallerAccess caller,
        Func<TBody, ApiResult<TCall>> read,
        Func<TCall, Conversation> conversationOf,
        CancellationToken cancellationToken = default)
        where TBody : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(conversationOf);
        var scope = await caller.ScopeOfAsync(request, cancellationToken);
        if (!scope.Succeeded)
        {
            return scope.Problem;
        }

        var body = await RequestBody.ReadAsync<TBody>(request.Body, request.ContentLength, api.Limits.MaxBodyBytes, cancellationToken);
        var call = body.Succeeded ? read(body.Value) : body.Problem;
        if (!call.Succeeded)
        {
            return call.Problem;
        }

        var conversation = conversationOf(call.Value);
        var question = api.ReadQuestion(conversation.Request, scope.Value);
        return question.Succeeded ? (call.Value, question.Value) : conversation.InRequestTerms(question.Problem);
    }

    /// <summary>A 400 naming the field <paramref name="path"/>.</summary>
    public static ApiProblem Invalid(string path, string detail) =>
        ApiProblem.InvalidRequest(detail, new Dictionary<string, string[]>(StringComparer.Ordinal) { [path] = [detail] });

    /// <summary>A problem of the ask with its field errors (<c>question</c>, <c>history[i].content</c>) named as the request's fields.</summary>
    public ApiProblem InRequestTerms(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Errors is null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in problem.Errors)
        {
            var turn = HistoryKey().Match(key);
            var path = key == "question" ? _questionPath
                : turn.Success && int.Parse(turn.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) is var i && i < _historyPaths.Count ? _historyPaths[i]
                : key;
            errors[path] = errors.TryGetValue(path, out var earlier) ? [.. earlier, .. messages] : messages;
        }

        return problem with { Errors = errors };
    }

    [GeneratedRegex(@"^history\[(\d+)\]")]
    private static partial Regex HistoryKey();
}
