using Ragtune.Core.FineTuning;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Core.Api;

/// <summary>
/// The body of GET /api/datasets (<c>ragtune serve</c> only): the examples an export now would write for each dataset,
/// what it would leave out, and the latest export.
/// </summary>
/// <param name="RatedAnswers">Rated answers, each with its latest rating.</param>
/// <param name="MinTrainingExamples">A dataset with fewer training examples gets no files.</param>
/// <param name="NewRatingsSinceLastExport">An export now would write a new export (a rating was saved since the last one).</param>
/// <param name="Ready">The SFT and DPO examples an export now would hold, by dataset.</param>
/// <param name="Excluded">What an export now would leave out.</param>
/// <param name="LastExport">The newest export, or null (omitted) when there is none.</param>
/// <param name="FineTuning">Whether fine-tuning is worth it now: examples ready, recent down votes, training tokens and cost, the last run, the active model.</param>
public sealed record DatasetsResponse(
    int RatedAnswers,
    int MinTrainingExamples,
    bool NewRatingsSinceLastExport,
    IReadOnlyDictionary<string, DatasetSummary> Ready,
    ExcludedExamples Excluded,
    ExportSummary? LastExport,
    FineTuningAdvice FineTuning)
{
    /// <param name="readiness">The exporter's readiness check.</param>
    /// <param name="manifestUrl">Where the host serves the latest export's manifest.</param>
    /// <param name="advice">The advisor's numbers for the same readiness.</param>
    public static DatasetsResponse From(DatasetReadiness readiness, string manifestUrl, FineTuningAdvice advice) => new(
        readiness.RatedInteractions,
        readiness.MinTrainingExamples,
        readiness.HasNewRatings,
        readiness.Datasets,
        ExcludedExamples.From(readiness.Exclusions),
        ExportSummary.From(readiness.LatestExport, manifestUrl),
        advice);
}

/// <summary>Examples left out: how many, and how many for each reason.</summary>
public sealed record ExcludedExamples(int Total, IReadOnlyDictionary<string, int> Reasons)
{
    public static ExcludedExamples From(IReadOnlyDictionary<string, int> reasons) => new(reasons.Values.Sum(), reasons);
}

/// <summary>An export as the API shows it: its manifest's headline figures and a link to the whole manifest.</summary>
/// <param name="ExportId">The export's id.</param>
/// <param name="Name">Its folder or blob prefix.</param>
/// <param name="CreatedAt">When it ran.</param>
/// <param name="Status"><c>complete</c> when at least one dataset has its files, else <c>insufficient</c>.</param>
/// <param name="RatedAnswers">Rated answers it read.</param>
/// <param name="Datasets">The SFT and DPO datasets it holds.</param>
/// <param name="Excluded">What it left out.</param>
/// <param name="Files">Its files (the manifest aside), with lines, bytes and SHA-256.</param>
/// <param name="ManifestUrl">Where its <c>manifest.json</c> is served.</param>
public sealed record ExportSummary(
    string ExportId,
    string Name,
    DateTimeOffset CreatedAt,
    DatasetStatus Status,
    int RatedAnswers,
    IReadOnlyDictionary<string, DatasetSummary> Datasets,
    ExcludedExamples Excluded,
    IReadOnlyList<DatasetFileInfo> Files,
    string ManifestUrl)
{
    public static ExportSummary? From(DatasetManifest? manifest, string manifestUrl) => manifest is null ? null : new(
        manifest.ExportId,
        manifest.Name,
        manifest.CreatedAt,
        manifest.Status,
        manifest.RatedInteractions,
        manifest.Datasets,
        ExcludedExamples.From(manifest.Exclusions),
        manifest.Files,
        manifestUrl);
}

/// <summary>The body of POST /api/datasets/export (<c>ragtune serve</c> only).</summary>
/// <param name="Outcome"><c>exported</c>, <c>upToDate</c> (no rating since the latest export: nothing written) or <c>nothingRated</c>.</param>
/// <param name="Export">The export written, or the latest one when up to date; omitted when nothing is rated.</param>
public sealed record ExportNowResponse(DatasetExportOutcome Outcome, ExportSummary? Export)
{
    public static ExportNowResponse From(DatasetExportResult result, string manifestUrl) =>
        new(result.Outcome, ExportSummary.From(result.Manifest, manifestUrl));
}
