namespace Ragtune.Core.Chunking;

/// <summary>A place the next chunk can end: after <paramref name="Count"/> pieces holding <paramref name="Tokens"/>.</summary>
/// <param name="Count">How many of the waiting pieces the chunk takes.</param>
/// <param name="Tokens">Their tokens, each piece counted on its own.</param>
/// <param name="Strength">The boundary after the last of them (<see cref="Boundary.End"/> at the end of the document).</param>
/// <param name="Remaining">The tokens still waiting after them.</param>
internal readonly record struct Cut(int Count, int Tokens, Boundary Strength, int Remaining);

/// <summary>The limits a cut is chosen within.</summary>
/// <param name="Room">The tokens the chunk's own pieces can take and still leave room for the overlap.</param>
/// <param name="MaxTokens">The most tokens a chunk holds, overlap included.</param>
/// <param name="MinChunkTokens">The fewest tokens of its own a chunk should hold (a preference, not a limit).</param>
internal readonly record struct CutBudget(int Room, int MaxTokens, int MinChunkTokens);

/// <summary>The rules of <see cref="CutPolicy.Choose"/>, in the order they are tried.</summary>
internal enum CutRule
{
    /// <summary>The strongest cut that leaves the chunk at least the minimum and room for the overlap, the latest among equals.</summary>
    WithinRoom,

    /// <summary>
    /// A cut at a stronger boundary than the one within the room, a paragraph or better, taken past the room at the
    /// cost of overlap: a whole paragraph, table, list or heading with its text is worth it. The earliest among equals.
    /// </summary>
    StrongerPastRoom,

    /// <summary>No cut within the room leaves the chunk long enough: the strongest past the room, the earliest among equals.</summary>
    PastRoom,

    /// <summary>No cut past the room either: the strongest within it, though the chunk is shorter than the minimum.</summary>
    ShortChunk,

    /// <summary>
    /// Every cut leaves the document a last piece shorter than the minimum, or holds only text the tokenizer ignores (an
    /// emoji, for a BERT vocabulary): the strongest of all, the latest among equals.
    /// </summary>
    LastResort,
}

/// <summary>A cut and the rule that chose it.</summary>
internal readonly record struct CutChoice(Cut Cut, CutRule Rule);

/// <summary>
/// Where a chunk ends: at the strongest boundary (section, paragraph, line, sentence, clause, word) that leaves it at
/// least the minimum long and room for the overlap, as late as possible among equals. A cut past that room is taken, at
/// the cost of overlap, to keep a whole paragraph or group, or when every cut within it would leave the chunk too short.
/// At the end of the document, no cut leaves a last piece shorter than the minimum when another cut is possible. Only
/// when nothing else is possible does a chunk hold text the tokenizer ignores entirely. Pure functions of their inputs.
/// </summary>
internal static class CutPolicy
{
    /// <summary>
    /// The places the next chunk can end within <paramref name="maxTokens"/>: after a piece that no bound piece follows,
    /// and after the last piece when <paramref name="atDocumentEnd"/>. Never none: when nothing else fits (which the
    /// binding rules rule out), the first piece alone.
    /// </summary>
    /// <param name="pending">The pieces waiting for a chunk, first first.</param>
    /// <param name="pendingTokens">Their tokens, each piece counted on its own.</param>
    /// <param name="maxTokens">The most tokens a chunk holds.</param>
    /// <param name="atDocumentEnd">True when no more pieces will come.</param>
    /// <param name="candidates">Cleared, then filled with the cuts in order.</param>
    public static void FindCandidates(
        ReadOnlySpan<ChunkPiece> pending, int pendingTokens, int maxTokens, bool atDocumentEnd, List<Cut> candidates)
    {
        candidates.Clear();
        var tokens = 0;
        for (var index = 0; index < pending.Length; index++)
        {
            tokens += pending[index].Tokens;
            if (tokens > maxTokens)
            {
                break;
            }

            var next = index + 1;
            if (next == pending.Length)
            {
                if (atDocumentEnd)
                {
                    candidates.Add(new Cut(next, tokens, Boundary.End, 0));
                }

                break;
            }

            if (!pending[next].Bound)
            {
                candidates.Add(new Cut(next, tokens, pending[next].Before, pendingTokens - tokens));
            }
        }

        if (candidates.Count == 0 && !pending.IsEmpty)
        {
            // Cannot happen: the first piece and the pieces bound to it always fit. Take one piece rather than stall.
            candidates.Add(new Cut(1, pending[0].Tokens, Boundary.InsideWord, pendingTokens - pending[0].Tokens));
        }
    }

    /// <summary>Chooses among <paramref name="candidates"/> (all within <see cref="CutBudget.MaxTokens"/>) by the first <see cref="CutRule"/> that finds one.</summary>
    public static CutChoice Choose(ReadOnlySpan<Cut> candidates, CutBudget budget, bool atDocumentEnd)
    {
        if (candidates.IsEmpty)
        {
            throw new ArgumentException("There is no cut to choose from.", nameof(candidates));
        }

        // Only at the end of the document is all that follows a cut known, and a short last piece avoidable.
        var shortTail = atDocumentEnd ? budget.MinChunkTokens : 0;
        if (Strongest(candidates, new Window(budget.MinChunkTokens, budget.Room), Boundary.InsideWord, latest: true, shortTail) is { } withinRoom)
        {
            var stronger = (Boundary)Math.Max((int)Boundary.Paragraph, (int)withinRoom.Strength + 1);
            return Strongest(candidates, new Window(budget.Room + 1, budget.MaxTokens), stronger, latest: false, shortTail) is { } pastRoom
                ? new CutChoice(pastRoom, CutRule.StrongerPastRoom)
                : new CutChoice(withinRoom, CutRule.WithinRoom);
        }

        if (Strongest(candidates, new Window(budget.Room + 1, budget.MaxTokens), Boundary.InsideWord, latest: false, shortTail) is { } past)
        {
            return new CutChoice(past, CutRule.PastRoom);
        }

        if (Strongest(candidates, new Window(1, budget.Room), Boundary.InsideWord, latest: true, shortTail) is { } shortChunk)
        {
            return new CutChoice(shortChunk, CutRule.ShortChunk);
        }

        return Strongest(candidates, new Window(0, budget.MaxTokens), Boundary.InsideWord, latest: true, shortTail: 0) is { } any
            ? new CutChoice(any, CutRule.LastResort)
            : throw new ArgumentException($"Every cut is longer than the chunk limit ({budget.MaxTokens}).", nameof(candidates));
    }

    /// <summary>
    /// The cut of the strongest boundary, at least <paramref name="minStrength"/>, whose tokens are within
    /// <paramref name="window"/> and that leaves no waiting tail shorter than <paramref name="shortTail"/> (none when 0);
    /// the latest or the earliest among equals.
    /// </summary>
    private static Cut? Strongest(ReadOnlySpan<Cut> candidates, Window window, Boundary minStrength, bool latest, int shortTail)
    {
        Cut? best = null;
        foreach (var cut in candidates)
        {
            if (cut.Tokens < window.Min || cut.Tokens > window.Max || cut.Strength < minStrength
                || (cut.Remaining > 0 && cut.Remaining < shortTail))
            {
                continue;
            }

            if (best is not { } current
                || cut.Strength > current.Strength
                || (cut.Strength == current.Strength && (latest ? cut.Tokens > current.Tokens : cut.Tokens < current.Tokens)))
            {
                best = cut;
            }
        }

        return best;
    }

    /// <summary>An inclusive range of a chunk's own tokens.</summary>
    private readonly record struct Window(int Min, int Max);
}
