namespace Ragtune.Core.Documents;

/// <summary>Chooses where to cut text that is too long for one block, so that blocks end at natural boundaries.</summary>
internal static class TextCut
{
    /// <summary>
    /// The length of the first piece of <paramref name="text"/> when at most <paramref name="maxLength"/> characters
    /// may be taken: after the last blank line in the second half of that window, else after its last line break,
    /// else after its last whitespace, else at the limit itself (never between the halves of a surrogate pair).
    /// The piece keeps its trailing separator, so the pieces joined give the text back unchanged.
    /// </summary>
    public static int Find(ReadOnlySpan<char> text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text.Length;
        }

        var window = text[..maxLength];
        var earliest = maxLength / 2;

        var paragraph = window.LastIndexOf("\n\n");
        if (paragraph >= earliest)
        {
            return paragraph + 2;
        }

        var line = window.LastIndexOf('\n');
        if (line >= earliest)
        {
            return line + 1;
        }

        for (var i = maxLength - 1; i >= earliest; i--)
        {
            if (char.IsWhiteSpace(window[i]))
            {
                return i + 1;
            }
        }

        return char.IsHighSurrogate(window[maxLength - 1]) ? maxLength - 1 : maxLength;
    }
}
