using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Ragtune.Core.Embeddings;

/// <summary>
/// The BERT uncased WordPiece tokenizer as Hugging Face runs it (all-MiniLM-L6-v2 and other sentence-transformers
/// models were trained with it): lower-cases and strips accents ("Café" reads as "cafe"), reads line breaks as
/// spaces, and splits punctuation and ASCII symbols ("=", "+", "$") into tokens of their own while other symbols stay
/// in their word ("42±11" is 42 ##± ##11). An embedding adapter feeds its model with this tokenizer, so chunk sizes
/// counted with it are exact.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' default BERT normaliser and pre-tokenizer (2.0.1) differ from Hugging Face's: they join
/// words across line breaks and drop every symbol (dotnet/machinelearning#7724, #7725). Both are replaced here.
/// </remarks>
public static partial class BertUncasedTokenizer
{
    /// <summary>BERT's special tokens as the lower-casing normaliser leaves them, with their ids in the standard uncased vocabulary.</summary>
    private static readonly Dictionary<string, int> SpecialTokens = new(StringComparer.Ordinal)
    {
        ["[pad]"] = 0,
        ["[unk]"] = 100,
        ["[cls]"] = 101,
        ["[sep]"] = 102,
        ["[mask]"] = 103,
    };

    /// <summary>Creates the tokenizer over a standard BERT uncased vocabulary (<c>vocab.txt</c>, one token a line).</summary>
    public static BertTokenizer Create(Stream vocabulary) =>
        BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            Normalizer = new BertUncasedNormalizer(),
            PreTokenizer = new RegexPreTokenizer(BertPreTokenization(), SpecialTokens),
        });

    /// <summary>
    /// Hugging Face's <c>BertPreTokenizer</c>: a run of characters that are neither whitespace nor punctuation, or one
    /// punctuation character, where punctuation is Unicode P* plus every ASCII symbol.
    /// </summary>
    [GeneratedRegex(@"[^\s\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]+|[\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]", RegexOptions.CultureInvariant)]
    private static partial Regex BertPreTokenization();
}
