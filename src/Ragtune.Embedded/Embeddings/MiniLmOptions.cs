using System.ComponentModel.DataAnnotations;

namespace Ragtune.Embedded.Embeddings;

/// <summary>How the embedded all-MiniLM-L6-v2 model runs, bound from <c>Ragtune:Embedding:MiniLm</c>.</summary>
public sealed class MiniLmOptions
{
    public const string SectionName = "Ragtune:Embedding:MiniLm";

    /// <summary>The most sessions the default takes, however many cores there are.</summary>
    public const int MaxDefaultSessions = 8;

    /// <summary>
    /// ONNX Runtime sessions run in parallel, each on one input (or one small batch) at a time. Parallel sessions
    /// with one thread each beat one session with several threads; more sessions than cores only contend.
    /// Default: the number of cores, at most <see cref="MaxDefaultSessions"/>.
    /// </summary>
    [Range(1, 64)]
    public int Sessions { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, MaxDefaultSessions);

    /// <summary>Threads each session uses inside one inference. Default 1.</summary>
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// The most tokens, padding included, that one inference call holds. Inputs are sorted by length and
    /// neighbours grouped up to this budget: full-size chunks (256 tokens) run one at a time, short inputs such as
    /// questions in groups. 1 runs every input alone. Default 256.
    /// </summary>
    [Range(1, 65_536)]
    public int BatchTokenBudget { get; set; } = MiniLmModel.MaxInputTokens;

    /// <summary>
    /// Where the model is written once as a file, so that the sessions load it from disk: loading from the package's
    /// resource instead maps the resource and copies it, which costs about 170 MB more at the peak. Empty loads from the
    /// resource every time (for a read-only file system). Default: <c>ragtune/models</c> under the user's local
    /// application data folder.
    /// </summary>
    public string ModelCacheDirectory { get; set; } = DefaultModelCacheDirectory;

    /// <summary>The default <see cref="ModelCacheDirectory"/>.</summary>
    public static string DefaultModelCacheDirectory { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "ragtune",
        "models");
}
