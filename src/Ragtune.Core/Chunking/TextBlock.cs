using System.Text;

namespace Ragtune.Core.Chunking;

internal enum TextBlockKind
{
    /// <summary>A Markdown heading line ("## Benefits").</summary>
    Heading,

    /// <summary>Lines of running text, joined by line breaks.</summary>
    Paragraph,

    /// <summary>Consecutive lines containing '|': one part per row.</summary>
    Table,

    /// <summary>Consecutive list items ("- ", "* ", "1. "): one part per item, continuation lines included.</summary>
    List,
}

/// <summary>A structural block of a page's text, whitespace already normalised.</summary>
/// <param name="Kind">What the block is.</param>
/// <param name="Parts">The heading, the paragraph, the table's rows or the list's items.</param>
/// <param name="FollowsBlankLine">True when a blank line (or the start of the text) comes before it.</param>
internal sealed record TextBlock(TextBlockKind Kind, IReadOnlyList<string> Parts, bool FollowsBlankLine);

/// <summary>
/// Reads text into headings, paragraphs, tables and lists. Runs of spaces and tabs become one space, lines are
/// trimmed, control characters dropped, and a table's delimiter row is shortened to <c>|---|---|</c>: the text reads
/// the same and does not spend a token per dash.
/// </summary>
internal static class TextBlockParser
{
    private enum LineKind
    {
        Blank,
        Heading,
        ListItem,
        Pipe,
        Text,
    }

    public static IEnumerable<TextBlock> Parse(string text)
    {
        var lines = ReadLines(text);
        var parts = new List<string>();
        var paragraph = new StringBuilder();
        var kind = TextBlockKind.Paragraph;
        var open = false;
        var blankBefore = true;
        var blockFollowsBlankLine = true;

        for (var index = 0; index < lines.Count; index++)
        {
            var (line, lineKind) = lines[index];
            if (lineKind == LineKind.Blank)
            {
                // A list stays open across blank lines, so that a loose list is still one list.
                if (open && kind != TextBlockKind.List)
                {
                    yield return Close();
                }

                blankBefore = true;
                continue;
            }

            if (lineKind == LineKind.Pipe && !IsTableRow(lines, index))
            {
                lineKind = LineKind.Text;
            }

            var continues = open && lineKind switch
            {
                LineKind.Pipe => kind == TextBlockKind.Table,
                LineKind.ListItem => kind == TextBlockKind.List,
                LineKind.Text => kind == TextBlockKind.Paragraph || (kind == TextBlockKind.List && !blankBefore),
                _ => false,
            };

            if (open && !continues)
            {
                yield return Close();
            }

            if (lineKind == LineKind.Heading)
            {
                yield return new TextBlock(TextBlockKind.Heading, [line], blankBefore);
                blankBefore = false;
                continue;
            }

            if (!continues)
            {
                blockFollowsBlankLine = blankBefore;
            }

            switch (lineKind)
            {
                case LineKind.Pipe:
                    kind = TextBlockKind.Table;
                    parts.Add(IsDelimiterRow(line) ? ShortenDelimiterRow(line) : line);
                    break;
                case LineKind.ListItem:
                    kind = TextBlockKind.List;
                    parts.Add(line);
                    break;
                case LineKind.Text when continues && kind == TextBlockKind.List:
                    // A line straight after a list item continues it (Markdown's lazy continuation).
                    parts[^1] = parts[^1] + "\n" + line;
                    break;
                default:
                    kind = TextBlockKind.Paragraph;
                    paragraph.Append(continues ? "\n" : "").Append(line);
                    break;
            }

            open = true;
            blankBefore = false;
        }

        if (open)
        {
            yield return Close();
        }

        TextBlock Close()
        {
            var block = kind == TextBlockKind.Paragraph
                ? new TextBlock(kind, [paragraph.ToString()], blockFollowsBlankLine)
                : new TextBlock(kind, [.. parts], blockFollowsBlankLine);
            paragraph.Clear();
            parts.Clear();
            open = false;
            return block;
        }
    }

    private static List<(string Text, LineKind Kind)> ReadLines(string text)
    {
        var lines = new List<(string, LineKind)>();
        var buffer = new StringBuilder();
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            buffer.Clear();
            var pendingSpace = false;
            foreach (var character in rawLine)
            {
                if (char.IsWhiteSpace(character))
                {
                    pendingSpace = buffer.Length > 0;
                }
                else if (!char.IsControl(character) && character != '\uFEFF')
                {
                    if (pendingSpace)
                    {
                        buffer.Append(' ');
                        pendingSpace = false;
                    }

                    buffer.Append(character);
                }
            }

            var line = buffer.ToString();
            lines.Add((line, Classify(line)));
        }

        return lines;
    }

    private static LineKind Classify(string line)
    {
        if (line.Length == 0)
        {
            return LineKind.Blank;
        }

        if (IsHeading(line))
        {
            return LineKind.Heading;
        }

        if (IsListItem(line))
        {
            return LineKind.ListItem;
        }

        return line.Contains('|') ? LineKind.Pipe : LineKind.Text;
    }

    private static bool IsHeading(string line)
    {
        var level = 0;
        while (level < line.Length && line[level] == '#')
        {
            level++;
        }

        return level is >= 1 and <= 6 && level < line.Length && line[level] == ' ';
    }

    private static bool IsListItem(string line)
    {
        if (line.Length >= 2 && line[1] == ' ' && line[0] is '-' or '*' or '+' or '•' or '◦' or '▪' or '‣' or '●' or '–')
        {
            return true;
        }

        var digits = 0;
        while (digits < line.Length && digits < 4 && char.IsAsciiDigit(line[digits]))
        {
            digits++;
        }

        return digits is >= 1 and <= 3
            && digits + 1 < line.Length
            && line[digits] is '.' or ')'
            && line[digits + 1] == ' ';
    }

    /// <summary>A line with '|' is a table row when its neighbours have one too, or when it starts with '|'.</summary>
    private static bool IsTableRow(List<(string Text, LineKind Kind)> lines, int index) =>
        lines[index].Text.StartsWith('|')
        || (index > 0 && lines[index - 1].Kind == LineKind.Pipe)
        || (index + 1 < lines.Count && lines[index + 1].Kind == LineKind.Pipe);

    private static bool IsDelimiterRow(string line) =>
        line.Contains('-') && !line.AsSpan().ContainsAnyExcept("|-: ");

    private static string ShortenDelimiterRow(string line)
    {
        var cells = line.Split('|');
        for (var index = 0; index < cells.Length; index++)
        {
            var cell = cells[index].Trim();
            cells[index] = cell.Length == 0
                ? ""
                : (cell.StartsWith(':') ? ":" : "") + "---" + (cell.Length > 1 && cell.EndsWith(':') ? ":" : "");
        }

        return string.Join('|', cells);
    }
}
