using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ragtune.Core.FineTuning;

/// <summary>Whether a dataset (or the export as a whole) has its data files.</summary>
public enum DatasetStatus
{
    /// <summary>Enough training examples: the data files are written.</summary>
    Complete,

    /// <summary>Fewer training examples than <see cref="FineTuningOptions.MinTrainingExamples"/>: no data files.</summary>
    Insufficient,
}

/// <summary>
/// <c>manifest.json</c>, the last file of an export and what makes it visible: what was exported, from which ratings,
/// how, and the files with their sizes and SHA-256 hashes.
/// </summary>
/// <param name="SchemaVersion">The manifest format's version (1).</param>
/// <param name="ExportId">The export's id (a ULID).</param>
/// <param name="Name">The export's folder or blob prefix, <c>{yyyyMMddTHHmmssZ}-{exportId}</c>.</param>
/// <param name="CreatedAt">When the export ran.</param>
/// <param name="Status"><c>complete</c> when at least one dataset has its files, else <c>insufficient</c>.</param>
/// <param name="BaseModel">The model the datasets are for.</param>
/// <param name="Tokenizer">The encoding the tokens were counted with.</param>
/// <param name="MaxTokensPerExample">Longer examples were excluded.</param>
/// <param name="MinTrainingExamples">A dataset with fewer training examples has no files.</param>
/// <param name="ByteOrderMark">Whether the data files start with a UTF-8 BOM.</param>
/// <param name="Watermark">The ratings taken: saved after <c>from</c> (the previous export's <c>to</c>) up to and including <c>to</c> are new; the export holds every rating up to <c>to</c>.</param>
/// <param name="Split">How answers are assigned to train or validation.</param>
/// <param name="RatedInteractions">Rated answers read.</param>
/// <param name="PromptVersions">Rated answers read, by the prompt version they were given with.</param>
/// <param name="Datasets">The SFT and DPO datasets: status, examples, tokens.</param>
/// <param name="Files">Every file of the export but the manifest.</param>
/// <param name="Exclusions">Examples left out, by reason (the lines of <c>excluded.jsonl</c>).</param>
/// <param name="Scrubbed">Personal data replaced, by kind, in the rated answers read.</param>
public sealed record DatasetManifest(
    int SchemaVersion,
    string ExportId,
    string Name,
    DateTimeOffset CreatedAt,
    DatasetStatus Status,
    string BaseModel,
    string Tokenizer,
    int MaxTokensPerExample,
    int MinTrainingExamples,
    bool ByteOrderMark,
    WatermarkRange Watermark,
    SplitSettings Split,
    int RatedInteractions,
    IReadOnlyDictionary<string, int> PromptVersions,
    IReadOnlyDictionary<string, DatasetSummary> Datasets,
    IReadOnlyList<DatasetFileInfo> Files,
    IReadOnlyDictionary<string, int> Exclusions,
    IReadOnlyDictionary<string, int> Scrubbed)
{
    public const string FileName = "manifest.json";
    public const int CurrentSchemaVersion = 1;

    /// <summary>
    /// How dataset files are written: compact, camelCase, text as itself (the files are not embedded in HTML, so
    /// <c>&lt;</c> and <c>&amp;</c> need no escaping).
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    /// <summary>The manifest as written: compact UTF-8 JSON and a line end, no byte-order mark.</summary>
    public byte[] ToUtf8Bytes() => [.. JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions), (byte)'\n'];

    public static async Task<DatasetManifest> ReadAsync(Stream stream, CancellationToken cancellationToken = default) =>
        await JsonSerializer.DeserializeAsync<DatasetManifest>(stream, JsonOptions, cancellationToken)
        ?? throw new InvalidDataException("The manifest is empty.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>The ratings an export stands on: new ones were saved after <paramref name="From"/> (null for the first export), all up to <paramref name="To"/> are in it.</summary>
public sealed record WatermarkRange(DateTimeOffset? From, DateTimeOffset To);

/// <summary>How answers are assigned to the validation files.</summary>
public sealed record SplitSettings(string Method, int ValidationPercent);

/// <summary>One dataset (SFT or DPO) of an export.</summary>
/// <param name="Status">Complete (files written) or insufficient (none).</param>
/// <param name="Train">Training examples (counted even when insufficient).</param>
/// <param name="Validation">Validation examples.</param>
/// <param name="Tokens">Tokens per example over train and validation, or null when there is none.</param>
public sealed record DatasetSummary(DatasetStatus Status, int Train, int Validation, TokenStatistics? Tokens);

/// <summary>Tokens per example: smallest, median (lower of the middle two), largest.</summary>
public sealed record TokenStatistics(int Min, int P50, int Max)
{
    /// <summary>The statistics of the counts (sorted in place), or null for none.</summary>
    public static TokenStatistics? Of(List<int> tokens)
    {
        tokens.Sort();
        return tokens.Count == 0 ? null : new TokenStatistics(tokens[0], tokens[(tokens.Count - 1) / 2], tokens[^1]);
    }
}

/// <summary>A file of an export.</summary>
/// <param name="Name">The file name (<c>sft.train.jsonl</c>).</param>
/// <param name="Lines">JSON lines in it.</param>
/// <param name="Bytes">Its size, byte-order mark included.</param>
/// <param name="Sha256">The SHA-256 of its bytes, lower-case hex.</param>
public sealed record DatasetFileInfo(string Name, int Lines, long Bytes, string Sha256);
