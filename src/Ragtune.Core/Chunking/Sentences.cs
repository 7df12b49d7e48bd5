using System.Text.RegularExpressions;

namespace Ragtune.Core.Chunking;

/// <summary>Splits text into sentences with the chunker's own rules (abbreviations, initials and decimals respected).</summary>
public static partial class Sentences
{
    /// <summary>The sentences of <paramref name="text"/>, whitespace collapsed, in order.</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        var sentences = new List<string>();
        var spans = new List<SentenceSpan>();
        foreach (var line in text.Split('\n'))
        {
            var normalized = Whitespace().Replace(line, " ").Trim();
            if (normalized.Length == 0)
            {
                continue;
            }

            spans.Clear();
            SentenceSplitter.Split(normalized, spans);
            sentences.AddRange(spans.Select(s => normalized[s.Start..s.End]));
        }

        return sentences;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
