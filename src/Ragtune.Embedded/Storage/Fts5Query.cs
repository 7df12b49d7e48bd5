using System.Text;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Turns a user's search text into an FTS5 query that cannot carry FTS5 syntax: every word becomes a quoted string
/// (letters, digits and marks only, so no quote can close it early), and the words are joined with OR, so BM25 ranks
/// the chunks that match more and rarer words first.
/// </summary>
internal static class Fts5Query
{
    /// <summary>The most words a query keeps; longer texts keep their first distinct words.</summary>
    public const int MaxTerms = 32;

    /// <summary>The FTS5 query, or null when the text holds no word (then nothing matches).</summary>
    public static string? FromText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var term = new StringBuilder();
        var hasLetterOrDigit = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || IsMark(rune))
            {
                term.Append(rune.ToString());
                hasLetterOrDigit |= Rune.IsLetterOrDigit(rune);
                continue;
            }

            Flush();
            if (terms.Count == MaxTerms)
            {
                break;
            }
        }

        Flush();
        return terms.Count == 0 ? null : string.Join(" OR ", terms);

        void Flush()
        {
            if (term.Length > 0 && hasLetterOrDigit && terms.Count < MaxTerms && seen.Add(term.ToString()))
            {
                // Quotes are doubled in FTS5 strings; a term holds none, but the rule costs nothing to keep.
                terms.Add("\"" + term.ToString().Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            }

            term.Clear();
            hasLetterOrDigit = false;
        }
    }

    private static bool IsMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark
            or System.Globalization.UnicodeCategory.EnclosingMark;
}
