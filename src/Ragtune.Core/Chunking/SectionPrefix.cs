namespace Ragtune.Core.Chunking;

/// <summary>The heading path written in front of a chunk's text for the embedding model, and its tokens.</summary>
/// <param name="Text">The headings, joined by <see cref="HeadingPath.Separator"/>; empty for none.</param>
/// <param name="Tokens">Its length in the model's tokens.</param>
internal readonly record struct SectionPrefix(string Text, int Tokens)
{
    /// <summary>What separates the headings from the chunk's text.</summary>
    public const string Separator = "\n\n";

    public static SectionPrefix None { get; } = new("", 0);

    /// <summary>The text the model embeds: the headings, a blank line, then <paramref name="text"/> (the text alone without headings).</summary>
    public string Join(string text) => Text.Length == 0 ? text : Text + Separator + text;
}

/// <summary>
/// Chooses the heading path a chunk is embedded with: the headings above the place the chunk starts, so that a chunk cut
/// from the middle of a section still says which section it belongs to. A chunk that starts with a heading is embedded
/// with the headings above it (its text already holds that heading). The path takes at most a quarter of the chunk
/// limit: the innermost headings are kept first, and a single heading longer than that is cut at a token boundary.
/// One per document; the last path's prefix is kept, since consecutive chunks mostly share it.
/// </summary>
internal sealed class SectionPrefixes(TokenCounter counter, int maxTokens)
{
    private readonly int _maxPrefixTokens = maxTokens / 4;
    private HeadingPath? _path;
    private SectionPrefix _prefix = SectionPrefix.None;

    /// <summary>The prefix of a chunk whose own text starts with <paramref name="first"/>.</summary>
    public SectionPrefix For(ChunkPiece first)
    {
        var path = first.IsHeading ? first.Section?.Parent : first.Section;
        if (path is null)
        {
            return SectionPrefix.None;
        }

        if (!ReferenceEquals(path, _path))
        {
            _path = path;
            _prefix = Measure(path);
        }

        return _prefix;
    }

    /// <summary>The headings a chunk stands under: those of its first piece that is not a heading (else of its last piece), or "" when none.</summary>
    public static string SectionOf(ReadOnlySpan<ChunkPiece> pieces)
    {
        foreach (var piece in pieces)
        {
            if (!piece.IsHeading)
            {
                return piece.Section?.Text ?? "";
            }
        }

        return pieces.IsEmpty ? "" : pieces[^1].Section?.Text ?? "";
    }

    private SectionPrefix Measure(HeadingPath path)
    {
        var tokens = counter.Count(path.Text);
        if (tokens <= _maxPrefixTokens)
        {
            return new SectionPrefix(path.Text, tokens);
        }

        // Too long whole: the innermost headings that fit, else the start of the innermost one.
        var best = SectionPrefix.None;
        var text = path.Title;
        for (var outer = path; outer is not null; outer = outer.Parent)
        {
            text = ReferenceEquals(outer, path) ? path.Title : outer.Title + HeadingPath.Separator + text;
            tokens = counter.Count(text);
            if (tokens > _maxPrefixTokens)
            {
                break;
            }

            best = new SectionPrefix(text, tokens);
        }

        if (best.Tokens > 0 || _maxPrefixTokens == 0)
        {
            return best;
        }

        var cut = path.Title[..counter.FitPrefix(path.Title, _maxPrefixTokens).Length].TrimEnd();
        var cutTokens = counter.Count(cut);
        return cutTokens is > 0 && cutTokens <= _maxPrefixTokens ? new SectionPrefix(cut, cutTokens) : SectionPrefix.None;
    }
}
