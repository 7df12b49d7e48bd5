using System.Text;
using Ragtune.Core.FineTuning;

namespace Ragtune.Testing;

/// <summary>What the tests of every <see cref="IDatasetWriter"/> write: a small data file and a minimal manifest.</summary>
public static class DatasetExports
{
    public static async Task WriteAsync(IDatasetExport export, string fileName, string text)
    {
        await using var stream = await export.CreateFileAsync(fileName);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A complete manifest of the export named <paramref name="name"/> with nothing in it.</summary>
    public static DatasetManifest Manifest(string name) => new(
        DatasetManifest.CurrentSchemaVersion, name[^26..], name, DateTimeOffset.UnixEpoch, DatasetStatus.Complete, "gpt-4.1-mini", "o200k_base", 65_536, 10, false,
        new WatermarkRange(null, DateTimeOffset.UnixEpoch), new SplitSettings(DatasetSplit.Method, 10), 1,
        new Dictionary<string, int>(), new Dictionary<string, DatasetSummary>(), [], new Dictionary<string, int>(), new Dictionary<string, int>());
}
