namespace Ragtune.Core.Api;

/// <summary>The answer to POST /api/ask (and the <c>done</c> event of its stream).</summary>
/// <param name="AnswerId">The id to rate the answer with (POST /api/feedback).</param>
/// <param name="Answer">The answer text, citing context chunks as [n].</param>
/// <param name="Grounded">False when no chunk passed the threshold: the answer then says the documents do not cover the question, and no chat model was called.</param>
/// <param name="Citations">The chunks given to the chat model, numbered as the answer cites them.</param>
/// <param name="Model">The chat model that was asked.</param>
/// <param name="Usage">Tokens in and out of the chat model.</param>
/// <param name="Timings">Where the time went.</param>
public sealed record AskResponse(
    string AnswerId,
    string Answer,
    bool Grounded,
    IReadOnlyList<Citation> Citations,
    string Model,
    TokenUsage Usage,
    AnswerTimings Timings);

/// <summary>A chunk given to the chat model as context [<paramref name="Ref"/>].</summary>
/// <param name="Ref">The number the answer cites it by.</param>
/// <param name="DocumentId">The document's id.</param>
/// <param name="Source">The document's path relative to the documents root or container.</param>
/// <param name="Page">The 1-based page where the chunk starts.</param>
/// <param name="ChunkId">The chunk's id.</param>
/// <param name="Similarity">The cosine similarity of the question and the chunk.</param>
/// <param name="Text">The chunk's text.</param>
/// <param name="Section">The headings the chunk stands under ("Chief Technology Officer &gt; Responsibilities"), or null when none.</param>
/// <param name="LastPage">The page where the chunk ends when it runs on across a page break (after <paramref name="Page"/>), or null when it ends on the page it starts on.</param>
public sealed record Citation(int Ref, string DocumentId, string Source, int Page, string ChunkId, float Similarity, string Text, string? Section = null, int? LastPage = null);

/// <summary>Tokens in and out of the chat model (zero when it was not called).</summary>
public sealed record TokenUsage(long InputTokens, long OutputTokens)
{
    public static TokenUsage None { get; } = new(0, 0);
}

/// <summary>Milliseconds spent retrieving (embedding the question and searching) and generating.</summary>
public sealed record AnswerTimings(long RetrievalMs, long GenerationMs);
