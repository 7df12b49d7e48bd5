using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.AI;

namespace Ragtune.Core.Answering;

/// <summary>
/// Turns a follow-up ("and for part-time staff?") into a standalone search query, using the conversation. A
/// generative chat model rewrites it. Without one (the extractive answerer), a question that reads as a follow-up (it
/// refers back with a word such as "it", "that" or "also", starts with "and" or "what about", or has at most three
/// words) gets the last user turn prepended; any other question is searched as asked, so that a new subject ("what is
/// the capital of France?") is not answered from the previous subject's documents.
/// </summary>
public sealed class QueryRewriter(IChatClient chat, ChatModelProfile chatModel)
{
    private const int MaxQueryLength = 1000;
    private const int MaxEllipticalWords = 3;

    /// <summary>Words by which a question refers back to the conversation.</summary>
    private static readonly FrozenSet<string> ReferringWords = FrozenSet.ToFrozenSet(
        ["it", "its", "it's", "that", "this", "these", "those", "they", "them", "their", "theirs", "he", "him",
         "his", "she", "her", "hers", "one", "ones", "also", "too", "else", "same", "former", "latter", "above", "previous"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Openings of a question that continues the previous one.</summary>
    private static readonly string[] ContinuingOpenings = ["and ", "but ", "or ", "what about ", "how about ", "what if "];

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

    /// <summary>True when the question reads as a follow-up that needs the conversation to be searched.</summary>
    public static bool IsFollowUp(string question)
    {
        var trimmed = question.TrimStart();
        if (ContinuingOpenings.Any(opening => trimmed.StartsWith(opening, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var words = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Trim('?', '!', '.', ',', ';', ':', '"', '\'', '(', ')'))
            .Where(word => word.Length > 0)
            .ToList();
        return words.Count <= MaxEllipticalWords || words.Any(ReferringWords.Contains);
    }

    private static string WithPreviousQuestion(string question, IReadOnlyList<ChatTurn> history)
    {
        if (!IsFollowUp(question))
        {
            return question;
        }

        var previous = history.LastOrDefault(t => t.Role == ChatTurn.User)?.Content;
        return previous is null ? question : $"{previous} {question}";
    }
}
