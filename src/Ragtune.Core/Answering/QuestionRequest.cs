using Ragtune.Core.Index;

namespace Ragtune.Core.Answering;

/// <summary>A validated question, ready to answer.</summary>
/// <param name="Question">The question.</param>
/// <param name="History">The conversation before it.</param>
/// <param name="Mode">The search mode.</param>
/// <param name="Top">At most this many chunks in the context.</param>
/// <param name="MinSimilarity">The threshold, or null for the configured default.</param>
/// <param name="Filter">Who is asking (access) and which sources to search.</param>
public sealed record QuestionRequest(
    string Question,
    IReadOnlyList<ChatTurn> History,
    SearchMode Mode,
    int Top,
    float? MinSimilarity,
    ChunkFilter Filter);
