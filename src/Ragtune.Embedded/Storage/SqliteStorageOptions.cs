using System.ComponentModel.DataAnnotations;

namespace Ragtune.Embedded.Storage;

/// <summary>Where the embedded default keeps its data, and how its SQLite index searches. Section <c>Ragtune:Storage</c>.</summary>
public sealed class SqliteStorageOptions
{
    public const string SectionName = "Ragtune:Storage";

    /// <summary>The database's file name inside <see cref="DataDirectory"/>.</summary>
    public const string DatabaseFileName = "ragtune.db";

    /// <summary>The folder holding the database (created when missing); relative paths are from the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "./.ragtune";

    /// <summary>How long a statement waits for another connection's write lock before failing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How hybrid search combines the vector and keyword lists (see <see cref="Storage.HybridFusion"/>). Default: the
    /// normalised score sum, which beat reciprocal rank fusion on SciFact's training queries (docs/benchmarks.md).
    /// </summary>
    public HybridFusion HybridFusion { get; set; } = HybridFusion.NormalizedScore;

    /// <summary>
    /// The constant k of reciprocal rank fusion in hybrid search: a chunk at rank r (from 1) of a list adds weight / (k + r).
    /// Smaller values favour the top of each list. Default 10, tuned on SciFact's training queries (Azure AI Search uses 60).
    /// </summary>
    [Range(1, 1000)]
    public int RankFusionK { get; set; } = 10;

    /// <summary>The weight of the vector list in hybrid fusion. Default 0.5 (equal weights), tuned on SciFact's training queries.</summary>
    [Range(0.0, 100.0)]
    public double VectorWeight { get; set; } = 0.5;

    /// <summary>The weight of the keyword (BM25) list in hybrid fusion. Default 0.5 (equal weights), tuned on SciFact's training queries.</summary>
    [Range(0.0, 100.0)]
    public double KeywordWeight { get; set; } = 0.5;

    /// <summary>
    /// The fewest candidates each list contributes to hybrid fusion (at least four times the requested top), and the rank
    /// whose score the normalised score fusion scales to 0. Default 200, tuned on SciFact's training queries (50 scored
    /// 0.004 lower in nDCG@10; a cost of little more than reading the extra candidates' ids).
    /// </summary>
    [Range(1, 1000)]
    public int HybridCandidates { get; set; } = 200;

    /// <summary>
    /// A word found in more chunks than this is common: keyword queries leave it out when they have rarer words, and a
    /// query of common words only must match them all in at most this many chunks. It bounds the cost of a keyword
    /// query (FTS5 scores every row it matches) and changes little in the ranking: a common word's BM25 weight is small.
    /// </summary>
    [Range(100, int.MaxValue)]
    public int CommonTermChunks { get; set; } = 2_000;

    /// <summary>
    /// How much a keyword match in a chunk's section (the headings it stands under) counts against a match in its text, in
    /// BM25. Default 1 (equal).
    /// </summary>
    [Range(0.0, 100.0)]
    public double SectionWeight { get; set; } = 1.0;

    /// <summary>The database file's full path.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, DatabaseFileName));
}
