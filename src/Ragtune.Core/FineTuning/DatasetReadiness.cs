namespace Ragtune.Core.FineTuning;

/// <summary>
/// What an export run now would hold (<see cref="DatasetExporter.GetReadinessAsync"/>): the examples each dataset would
/// get from the current ratings, by the export's own rules, and what it would leave out.
/// </summary>
/// <param name="RatedInteractions">Rated answers (each with its latest rating).</param>
/// <param name="Datasets">The SFT and DPO datasets as the export would write them: train and validation examples, and whether they reach the minimum for files.</param>
/// <param name="Exclusions">Examples that would be left out, by reason (the lines <c>excluded.jsonl</c> would have).</param>
/// <param name="MinTrainingExamples">A dataset with fewer training examples gets no files.</param>
/// <param name="HasNewRatings">A rating was saved after the latest export: an export now would write a new one.</param>
/// <param name="LatestExport">The manifest of the newest export, or null when there is none.</param>
public sealed record DatasetReadiness(
    int RatedInteractions,
    IReadOnlyDictionary<string, DatasetSummary> Datasets,
    IReadOnlyDictionary<string, int> Exclusions,
    int MinTrainingExamples,
    bool HasNewRatings,
    DatasetManifest? LatestExport)
{
    /// <summary>No answer has been rated: both datasets are empty.</summary>
    public static DatasetReadiness NothingRated(int minTrainingExamples, DatasetManifest? latestExport) => new(
        0,
        new SortedDictionary<string, DatasetSummary>(StringComparer.Ordinal)
        {
            [DatasetExportRun.Sft] = new(DatasetStatus.Insufficient, 0, 0, null),
            [DatasetExportRun.Dpo] = new(DatasetStatus.Insufficient, 0, 0, null),
        },
        new SortedDictionary<string, int>(StringComparer.Ordinal),
        minTrainingExamples,
        HasNewRatings: false,
        latestExport);
}
