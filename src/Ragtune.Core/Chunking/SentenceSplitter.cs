using System.Collections.Frozen;

namespace Ragtune.Core.Chunking;

/// <summary>A sentence of a paragraph: where it starts and ends, and the whitespace that came before it.</summary>
internal readonly record struct SentenceSpan(int Start, int End, string Separator);

/// <summary>
/// Finds sentence boundaries in normalised text: after '.', '!', '?' or '…' (and any closing quotes or brackets)
/// followed by whitespace and a capital, a digit, an opening quote or bracket; and after the CJK full stops. Not after
/// common abbreviations (e.g., Dr., Mr., et al.), initials, dotted abbreviations (U.S., i.e.), or "No."/"Fig." before
/// a number. Decimals never match, because the point is not followed by whitespace.
/// </summary>
internal static class SentenceSplitter
{
    // Abbreviations that never end a sentence when followed by a capital.
    private static readonly FrozenSet<string> Abbreviations = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "rev", "hon", "gen", "col", "capt", "lt", "sgt",
        "gov", "pres", "messrs", "mme", "mlle", "vs", "cf", "viz", "al", "ca", "approx", "dept", "est", "resp");

    // Abbreviations that do not end a sentence when a number follows ("No. 5", "Fig. 3", "Jan. 12").
    private static readonly FrozenSet<string> NumberAbbreviations = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "no", "nos", "nr", "fig", "figs", "vol", "vols", "p", "pp", "ch", "chap", "sec", "art", "eq", "eqs", "ref",
        "refs", "tab", "op", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AbbreviationLookup =
        Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NumberAbbreviationLookup =
        NumberAbbreviations.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Adds the sentences of <paramref name="text"/> (trimmed, single-spaced) to <paramref name="sentences"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, List<SentenceSpan> sentences)
    {
        var start = 0;
        var separator = "";
        var index = 0;
        while (index < text.Length)
        {
            var character = text[index];
            var fullWidth = IsFullWidthTerminator(character);
            if (!fullWidth && !IsTerminator(character))
            {
                index++;
                continue;
            }

            var end = index + 1;
            while (end < text.Length && (IsTerminator(text[end]) || IsFullWidthTerminator(text[end])))
            {
                end++;
            }

            while (end < text.Length && IsCloser(text[end]))
            {
                end++;
            }

            var next = end;
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (next >= text.Length)
            {
                break;
            }

            var isBoundary = fullWidth
                || (next > end
                    && StartsSentence(text[next])
                    && !(character == '.' && end - index == 1 && IsAbbreviation(text[start..index], text[next])));
            if (isBoundary)
            {
                sentences.Add(new SentenceSpan(start, end, separator));
                separator = next == end ? "" : text[end..next].Contains('\n') ? "\n" : " ";
                start = next;
            }

            index = next;
        }

        if (start < text.Length)
        {
            sentences.Add(new SentenceSpan(start, text.Length, separator));
        }
    }

    private static bool IsTerminator(char character) => character is '.' or '!' or '?' or '…' or '؟' or '।';

    private static bool IsFullWidthTerminator(char character) => character is '。' or '！' or '？' or '｡';

    private static bool IsCloser(char character) =>
        character is ')' or ']' or '}' or '"' or '\'' or '”' or '’' or '»' or '*' or '_' or '`' or '」' or '』' or '）';

    private static bool StartsSentence(char character) =>
        char.IsDigit(character)
        || (char.IsLetter(character) && !char.IsLower(character))
        || character is '"' or '\'' or '“' or '‘' or '(' or '[' or '{' or '«' or '¿' or '¡' or '*' or '_' or '`';

    /// <summary>True when the word before a single '.' marks an abbreviation rather than a sentence's end.</summary>
    private static bool IsAbbreviation(ReadOnlySpan<char> sentenceSoFar, char next)
    {
        var wordStart = sentenceSoFar.Length;
        while (wordStart > 0 && (char.IsLetter(sentenceSoFar[wordStart - 1]) || sentenceSoFar[wordStart - 1] == '.'))
        {
            wordStart--;
        }

        var word = sentenceSoFar[wordStart..];
        if (word.IsEmpty)
        {
            return false;
        }

        // "U.S.", "e.g.", "Ph.D.": a dotted abbreviation. "J. Smith": an initial.
        if (word.Contains('.') || (word.Length == 1 && char.IsUpper(word[0])))
        {
            return true;
        }

        return AbbreviationLookup.Contains(word) || (char.IsDigit(next) && NumberAbbreviationLookup.Contains(word));
    }
}
