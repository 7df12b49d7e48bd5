using System.Text;

namespace Ragtune.Core.Chunking;

/// <summary>
/// Where text stands in its document's outline: the headings above it, outermost first ("Chief Technology Officer &gt;
/// Responsibilities"). A heading closes the headings of its level and deeper and keeps those above it, so "## Costs" after
/// "# Plan", "## Benefits", "### Vision" gives "Plan &gt; Costs". Immutable: every piece under one heading shares its path.
/// </summary>
internal sealed class HeadingPath
{
    /// <summary>What joins the headings of a path.</summary>
    public const string Separator = " > ";

    /// <summary>The longest heading title kept, in characters; a longer one is cut at a word and marked with "…".</summary>
    internal const int MaxTitleLength = 120;

    private HeadingPath(HeadingPath? parent, int level, string title)
    {
        Parent = parent;
        Level = level;
        Title = title;
        Text = parent is null ? title : parent.Text + Separator + title;
    }

    /// <summary>The path of the heading above this one, or null for an outermost heading.</summary>
    public HeadingPath? Parent { get; }

    /// <summary>1 for "#", 6 for "######".</summary>
    public int Level { get; }

    /// <summary>The heading's text, without its '#' marks.</summary>
    public string Title { get; }

    /// <summary>The whole path, outermost heading first, joined by <see cref="Separator"/>.</summary>
    public string Text { get; }

    /// <summary>
    /// The path under the heading line <paramref name="line"/> ("## Costs") read in <paramref name="current"/>'s section;
    /// <paramref name="current"/> itself when the line is no heading or has no title.
    /// </summary>
    public static HeadingPath? Enter(HeadingPath? current, string line)
    {
        var text = line.AsSpan().Trim();
        var level = 0;
        while (level < text.Length && text[level] == '#')
        {
            level++;
        }

        // A closing run of '#' ("## Costs ##") is not part of the title, nor the colon of a label ("Responsibilities:").
        var title = text[level..].Trim().TrimEnd('#').TrimEnd().TrimEnd(':').TrimEnd();
        if (level is < 1 or > 6 || title.IsEmpty)
        {
            return current;
        }

        var parent = current;
        while (parent is not null && parent.Level >= level)
        {
            parent = parent.Parent;
        }

        return new HeadingPath(parent, level, Shorten(title));
    }

    private static string Shorten(ReadOnlySpan<char> title)
    {
        if (title.Length <= MaxTitleLength)
        {
            return title.ToString();
        }

        var cut = title[..MaxTitleLength].LastIndexOf(' ');
        return new StringBuilder().Append(title[..(cut > 0 ? cut : MaxTitleLength)].TrimEnd()).Append('…').ToString();
    }
}
