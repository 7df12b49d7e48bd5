using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Ragtune.Core.Embeddings;

/// <summary>
/// The normalisation of Hugging Face's <c>BertNormalizer</c> for uncased models (clean text, space out CJK
/// ideographs, strip accents, lower-case), which all-MiniLM-L6-v2 was trained with. Microsoft.ML.Tokenizers' own
/// BERT normaliser (2.0.1) deletes tabs and line breaks instead of reading them as spaces ("one\nline" becomes
/// "oneline"), keeps format characters, and recomposes to NFC; this one does as Hugging Face does.
/// </summary>
internal sealed class BertUncasedNormalizer : Normalizer
{
    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        if (original.IsEmpty)
        {
            return string.Empty;
        }

        var cleaned = new StringBuilder(original.Length + 8);
        Span<char> utf16 = stackalloc char[2];
        foreach (var rune in original.EnumerateRunes())
        {
            if (rune.Value is 0 or 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhiteSpace(rune))
            {
                cleaned.Append(' ');
                continue;
            }

            var chars = utf16[..rune.EncodeToUtf16(utf16)];
            if (IsCjkIdeograph(rune.Value))
            {
                cleaned.Append(' ').Append(chars).Append(' ');
            }
            else
            {
                cleaned.Append(chars);
            }
        }

        var decomposed = cleaned.ToString().Normalize(NormalizationForm.FormD);
        var stripped = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                stripped.Append(utf16[..rune.EncodeToUtf16(utf16)]);
            }
        }

        return stripped.ToString().ToLowerInvariant();
    }

    /// <summary>Tab, line feed and carriage return are whitespace; every other "other" character (Cc, Cf, Cs, Co, Cn) goes.</summary>
    private static bool IsControl(Rune rune) =>
        rune.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    private static bool IsWhiteSpace(Rune rune) => rune.Value is '\t' or '\n' or '\r' || Rune.IsWhiteSpace(rune);

    /// <summary>The CJK Unified Ideographs blocks BERT tokenizes one character at a time.</summary>
    private static bool IsCjkIdeograph(int codePoint) =>
        codePoint is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
