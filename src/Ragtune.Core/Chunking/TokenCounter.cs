using Microsoft.ML.Tokenizers;

namespace Ragtune.Core.Chunking;

/// <summary>Measures text in the embedding model's tokens (special tokens excluded).</summary>
internal sealed class TokenCounter(Tokenizer tokenizer)
{
    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : tokenizer.CountTokens(text);

    /// <summary>
    /// The length of the longest prefix of <paramref name="text"/> that holds at most <paramref name="maxTokens"/>
    /// tokens, with its token count; at least one character (one surrogate pair) so that splitting always advances.
    /// The cut falls at a token boundary when the tokenizer can say where one is; it may fall inside a word.
    /// </summary>
    public (int Length, int Tokens) FitPrefix(ReadOnlySpan<char> text, int maxTokens)
    {
        var whole = Count(text);
        if (whole <= maxTokens)
        {
            return (text.Length, whole);
        }

        // Ask the tokenizer for the token boundary, looking at a window rather than the whole (possibly huge) text.
        var window = Math.Min(text.Length, Math.Max(256, maxTokens * 8));
        while (true)
        {
            var index = tokenizer.GetIndexByTokenCount(text[..window], maxTokens, out var normalized, out _);
            if (normalized is not null && normalized.Length != window)
            {
                // Normalisation changed the text's length (decomposed accents, CJK spacing): its index says nothing
                // about ours. Search instead.
                break;
            }

            if (index == window && window < text.Length)
            {
                window = Math.Min(text.Length, window * 2);
                continue;
            }

            index = AvoidSplittingSurrogatePair(text, index);
            if (index > 0)
            {
                var tokens = Count(text[..index]);
                if (tokens <= maxTokens)
                {
                    return (index, tokens);
                }
            }

            break;
        }

        return SearchPrefix(text, maxTokens);
    }

    /// <summary>Binary search on prefix lengths; counts O(log n) prefixes no longer than needed.</summary>
    private (int Length, int Tokens) SearchPrefix(ReadOnlySpan<char> text, int maxTokens)
    {
        var low = char.IsHighSurrogate(text[0]) && text.Length > 1 ? 2 : 1;
        var lowTokens = Count(text[..low]);
        var high = Math.Min(text.Length, Math.Max(low * 2, maxTokens * 4));
        while (high < text.Length)
        {
            var tokens = Count(text[..high]);
            if (tokens > maxTokens)
            {
                break;
            }

            (low, lowTokens) = (high, tokens);
            high = Math.Min(text.Length, high * 2);
        }

        while (high - low > 1)
        {
            var middle = AvoidSplittingSurrogatePair(text, low + ((high - low) / 2));
            if (middle <= low)
            {
                break;
            }

            var tokens = Count(text[..middle]);
            if (tokens <= maxTokens)
            {
                (low, lowTokens) = (middle, tokens);
            }
            else
            {
                high = middle;
            }
        }

        return (low, lowTokens);
    }

    private static int AvoidSplittingSurrogatePair(ReadOnlySpan<char> text, int index) =>
        index > 0 && index < text.Length && char.IsHighSurrogate(text[index - 1]) && char.IsLowSurrogate(text[index])
            ? index - 1
            : index;
}
