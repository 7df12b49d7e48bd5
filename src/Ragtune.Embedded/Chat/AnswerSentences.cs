using System.Text.RegularExpressions;
using Ragtune.Core.Chunking;

namespace Ragtune.Embedded.Chat;

/// <summary>
/// The sentences of a chunk that the extractive answerer may quote, in the order of the text: each block read as a reader
/// would say it (a paragraph or list item whole, across the lines it is wrapped over; headings dropped, list markers
/// gone, table rows as "cell: cell"), split with the chunker's sentence rules, and kept when it is a statement. The
/// answerer and the sentence vectors computed at ingestion read chunks alike.
/// </summary>
internal static partial class AnswerSentences
{
    /// <summary>The candidate sentences of <paramref name="chunkText"/>, in order.</summary>
    public static IEnumerable<string> Of(string chunkText, int minSentenceWords)
    {
        foreach (var block in Blocks(chunkText))
        {
            foreach (var sentence in Sentences.Split(block))
            {
                if (IsStatement(sentence, minSentenceWords))
                {
                    yield return sentence;
                }
            }
        }
    }

    /// <summary>
    /// The chunk's blocks as prose: a line break inside a paragraph or a list item is a space, as Markdown reads it; a
    /// blank line, a heading, a table row and a new list item end the block before them, except a blank line that a PDF
    /// reader put inside a sentence (the text before it has no closing punctuation, the text after starts in lower case).
    /// </summary>
    private static IEnumerable<string> Blocks(string chunkText)
    {
        var block = new List<string>();
        var afterBlankLine = false;
        foreach (var line in chunkText.Split('\n'))
        {
            var text = line.Trim();
            if (text.Length == 0)
            {
                afterBlankLine = block.Count > 0;
                continue;
            }

            var continues = block.Count > 0 && !StartsABlock(text) && (!afterBlankLine || ResumesASentence(block[^1], text));
            afterBlankLine = false;
            if (!continues && block.Count > 0)
            {
                yield return string.Join(' ', block);
                block.Clear();
            }

            var prose = AsProse(text);
            if (prose.Length == 0)
            {
                continue;
            }

            if (IsTableRow(text))
            {
                yield return prose;
            }
            else
            {
                block.Add(prose);
            }
        }

        if (block.Count > 0)
        {
            yield return string.Join(' ', block);
        }
    }

    private static bool ResumesASentence(string before, string text) =>
        char.IsLower(text[0]) && !".!?:;".Contains(before[^1], StringComparison.Ordinal);

    private static bool StartsABlock(string text) => text.StartsWith('#') || IsTableRow(text) || ListMarker().IsMatch(text);

    private static bool IsTableRow(string text) => text.StartsWith('|') || text.Contains(" | ", StringComparison.Ordinal);

    /// <summary>
    /// A line of chunk text as a reader would say it: headings are not answers, list markers go, and a table row
    /// "| Battery | 2 years |" reads "Battery: 2 years".
    /// </summary>
    private static string AsProse(string line)
    {
        var text = line.Trim();
        if (text.StartsWith('#'))
        {
            return string.Empty;
        }

        if (IsTableRow(text))
        {
            var cells = text.Trim('|').Split('|').Select(c => c.Trim()).Where(c => c.Length > 0 && c.Any(char.IsLetterOrDigit)).ToList();
            return cells.Count switch
            {
                0 => string.Empty,
                1 => cells[0],
                2 => Terminated($"{cells[0]}: {cells[1]}"),
                _ => Terminated($"{cells[0]}: {string.Join(", ", cells.Skip(1))}"),
            };
        }

        return ListMarker().Replace(text, string.Empty);
    }

    /// <summary>
    /// A sentence worth quoting: long enough, and either punctuated as a sentence or long enough not to be a heading
    /// (PDF headings carry no '#').
    /// </summary>
    private static bool IsStatement(string sentence, int minSentenceWords)
    {
        var words = sentence.Count(char.IsWhiteSpace) + 1;
        return words >= minSentenceWords && (words >= 2 * minSentenceWords || ".!?:)\"”".Contains(sentence[^1], StringComparison.Ordinal));
    }

    private static string Terminated(string text) => ".!?".Contains(text[^1], StringComparison.Ordinal) ? text : text + ".";

    [GeneratedRegex(@"^(?:[-*•]|\d{1,3}[.)])\s+")]
    private static partial Regex ListMarker();
}
