using System.Text;
using Microsoft.Extensions.AI;

namespace Ragtune.Core.Answering;

/// <summary>
/// Turns a follow-up ("and for part-time staff?") into a standalone search query, using the conversation. A
/// generative chat model rewrites it; with the extractive answerer the last user turn is prepended instead.
/// </summary>
public sealed class QueryRewriter(IChatClient chat, ChatModelProfile chatModel)
{
    private const int MaxQueryLength = 1000;

    private const string Instructions =
        "Rewrite the user's last question as one standalone search query for a document search engine, using the "
        + "conversation to resolve what it refers to. Reply with the query only, no quotes, no explanation.";

    public async Task<string> RewriteAsync(string question, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken = default)
    {
        if (history.Count == 0)
        {
            return question;
        }

        if (!chatModel.IsGenerative)
        {
            return WithPreviousQuestion(question, history);
        }

        var transcript = new StringBuilder();
        foreach (var turn in history.TakeLast(6))
        {
            transcript.Append(turn.Role).Append(": ").AppendLine(turn.Content);
        }

        transcript.Append("user: ").Append(question);
        var response = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, transcript.ToString())],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 100 },
            cancellationToken);
        var query = response.Text.Trim().Trim('"');
        return query.Length is > 0 and <= MaxQueryLength ? query : WithPreviousQuestion(question, history);
    }

    private static string WithPreviousQuestion(string question, IReadOnlyList<ChatTurn> history)
    {
        var previous = history.LastOrDefault(t => t.Role == ChatTurn.User)?.Content;
        return previous is null ? question : $"{previous} {question}";
    }
}
