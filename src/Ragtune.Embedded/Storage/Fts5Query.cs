using System.Text;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Turns a user's search text into FTS5 query terms that cannot carry FTS5 syntax: every word becomes a quoted string
/// (letters, digits and marks only, so no quote can close it early), and terms are joined only by this class.
/// </summary>
internal static class Fts5Query
{
    /// <summary>The most words a query keeps; longer texts keep their first distinct words.</summary>
    public const int MaxTerms = 32;

    /// <summary>The distinct words of <paramref name="text"/> as quoted FTS5 strings; empty when it holds no word.</summary>
    public static IReadOnlyList<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }

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
        return terms;

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

    /// <summary>Rows with any of the terms; BM25 ranks rows with more, and rarer, terms first.</summary>
    public static string Any(IEnumerable<string> terms) => string.Join(" OR ", terms);

    /// <summary>Rows with every one of the terms.</summary>
    public static string All(IEnumerable<string> terms) => string.Join(" AND ", terms);

    /// <summary>The query for <paramref name="text"/> with every word, or null when it holds none.</summary>
    public static string? FromText(string? text) => Terms(text) is { Count: > 0 } terms ? Any(terms) : null;

    private static bool IsMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark
            or System.Globalization.UnicodeCategory.EnclosingMark;
}
