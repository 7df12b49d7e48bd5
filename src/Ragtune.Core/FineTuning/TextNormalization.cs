using System.Text;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// How texts are compared for de-duplication and for DPO pairs: Unicode compatibility form (NFKC), lower case,
/// whitespace runs as one space, trimmed. "Hello,  World" and "hello, world" are the same.
/// </summary>
public static class TextNormalization
{
    public static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    public static bool AreEqual(string left, string right) => string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);
}
