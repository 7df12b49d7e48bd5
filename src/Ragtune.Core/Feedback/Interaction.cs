using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Index;

namespace Ragtune.Core.Feedback;

/// <summary>
/// One answer as it was given: the question, the chunks exactly as the model saw them, the full prompt as sent, and
/// the answer. Every answer is recorded, so every answer can become a fine-tuning example.
/// </summary>
/// <param name="AnswerId">The answer's id (a ULID).</param>
/// <param name="CreatedAt">When the answer was given.</param>
/// <param name="Question">The question as asked.</param>
/// <param name="History">The conversation before it.</param>
/// <param name="SearchQuery">The query that was searched (the question, or its standalone rewrite).</param>
/// <param name="Mode">The search mode.</param>
/// <param name="MinSimilarity">The threshold applied.</param>
/// <param name="Chunks">The context chunks, numbered as cited.</param>
/// <param name="Prompt">The messages exactly as sent to the chat model (or as they would have been, for an ungrounded answer).</param>
/// <param name="PromptVersion">The prompt template's version.</param>
/// <param name="Model">The chat model.</param>
/// <param name="Answer">The answer text.</param>
/// <param name="Grounded">False when no chunk passed the threshold.</param>
/// <param name="Usage">Tokens in and out.</param>
/// <param name="Timings">Retrieval and generation time.</param>
/// <param name="CallerGroups">The groups the caller had, so exports can respect access later.</param>
public sealed record Interaction(
    string AnswerId,
    DateTimeOffset CreatedAt,
    string Question,
    IReadOnlyList<ChatTurn> History,
    string SearchQuery,
    SearchMode Mode,
    float MinSimilarity,
    IReadOnlyList<Citation> Chunks,
    IReadOnlyList<PromptMessage> Prompt,
    string PromptVersion,
    string Model,
    string Answer,
    bool Grounded,
    TokenUsage Usage,
    AnswerTimings Timings,
    IReadOnlyList<string> CallerGroups);

/// <summary>A message of the prompt, as sent.</summary>
public sealed record PromptMessage(string Role, string Content);
