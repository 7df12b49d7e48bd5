using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using Ragtune.Core.Api;
using Ragtune.Core.Index;

namespace Ragtune.Core.Answering;

/// <summary>
/// Builds the chat prompt: the system message, the recent history, and the user message from the template with the
/// numbered context. The context is cut to the chat model's input budget, least similar chunks dropped first; each
/// chunk is quoted inside a <c>&lt;source&gt;</c> block that its own text cannot close or forge, and document text
/// cannot carry a chat template's role markers (ChatML and Llama 3 <c>&lt;|...|&gt;</c>, Gemma <c>&lt;start_of_turn&gt;</c>),
/// which a local model server that renders the prompt as one string would otherwise read as a new system message.
/// </summary>
public sealed partial class PromptBuilder(IOptions<AnswerOptions> options, ChatModelProfile chatModel)
{
    /// <summary>Tokens OpenAI's chat format adds per message, and to prime the reply.</summary>
    private const int TokensPerMessage = 3;

    private readonly AnswerOptions _options = options.Value;
    private readonly Tokenizer _tokenizer = chatModel.Tokenizer;

    public Prompt Build(string question, IReadOnlyList<ChatTurn> history, IReadOnlyList<ChunkHit> hits)
    {
        var turns = history.TakeLast(_options.MaxHistoryTurns).ToList();
        var budget = _options.MaxInputTokens - _options.MaxOutputTokens;

        // Oldest turns go first when the fixed part alone does not fit.
        var fixedTokens = FixedTokens(question, turns);
        while (fixedTokens > budget && turns.Count > 0)
        {
            turns.RemoveAt(0);
            fixedTokens = FixedTokens(question, turns);
        }

        var kept = KeepWithinBudget(hits, budget - fixedTokens);
        var context = kept.Select((hit, i) => new Citation(
            i + 1, hit.Chunk.DocumentId, hit.Chunk.Source, hit.Chunk.Page, hit.Chunk.ChunkId, hit.Similarity, hit.Chunk.Text,
            hit.Chunk.Section.Length == 0 ? null : hit.Chunk.Section,
            hit.Chunk.LastPage > hit.Chunk.Page ? hit.Chunk.LastPage : null)).ToList();

        var messages = new List<ChatMessage> { new(ChatRole.System, _options.SystemMessage) };
        messages.AddRange(turns.Select(t => new ChatMessage(t.Role == ChatTurn.Assistant ? ChatRole.Assistant : ChatRole.User, t.Content)));
        messages.Add(new ChatMessage(ChatRole.User, UserMessage(question, FormatContext(context))));
        return new Prompt(messages, context, _options.PromptVersion, CountTokens(messages));
    }

    /// <summary>The context block of the given citations, as the chat model reads it.</summary>
    public string FormatContext(IReadOnlyList<Citation> context)
    {
        if (context.Count == 0)
        {
            return _options.EmptyContext;
        }

        var text = new StringBuilder();
        foreach (var citation in context)
        {
            text.Append(FormatSource(citation.Ref, citation.Source, citation.Page, citation.Text));
        }

        return text.ToString();
    }

    private List<ChunkHit> KeepWithinBudget(IReadOnlyList<ChunkHit> hits, int budget)
    {
        // Most similar first until the budget is spent; the kept chunks keep the retrieval order.
        var keep = new HashSet<ChunkHit>(ReferenceEqualityComparer.Instance);
        var spent = 0;
        foreach (var hit in hits.OrderByDescending(h => h.Similarity))
        {
            var tokens = _tokenizer.CountTokens(FormatSource(hits.Count, hit.Chunk.Source, hit.Chunk.Page, hit.Chunk.Text));
            if (spent + tokens <= budget)
            {
                keep.Add(hit);
                spent += tokens;
            }
        }

        return [.. hits.Where(keep.Contains)];
    }

    private int FixedTokens(string question, List<ChatTurn> turns) =>
        TokensPerMessage * (turns.Count + 2) + TokensPerMessage
        + _tokenizer.CountTokens(_options.SystemMessage)
        + turns.Sum(t => _tokenizer.CountTokens(t.Content))
        + _tokenizer.CountTokens(UserMessage(question, string.Empty));

    private int CountTokens(List<ChatMessage> messages) =>
        TokensPerMessage * messages.Count + TokensPerMessage + messages.Sum(m => _tokenizer.CountTokens(m.Text));

    private string UserMessage(string question, string context) =>
        _options.UserTemplate.Replace("{context}", context, StringComparison.Ordinal).Replace("{question}", question, StringComparison.Ordinal);

    private static string FormatSource(int number, string source, int page, string text) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"\n<source id=\"{number}\" file=\"{Attribute(source)}\" page=\"{page}\">\n{Quote(text)}\n</source>\n");

    private static string Attribute(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// Document text cannot open or close a source block, nor start a chat turn: the <c>&lt;</c> of anything that reads as
    /// our tag (spaces, slashes, invisible characters and case aside) or as a role marker becomes <c>‹</c>.
    /// </summary>
    private static string Quote(string text) => MarkupLookalike().Replace(text, "‹");

    [GeneratedRegex(@"<(?=[\s\u200B-\u200D\u2060\uFEFF/]*source)|<(?=\|)|<(?=/?\s*(?:start|end)_of_turn)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkupLookalike();
}
