using Ragtune.Core.FineTuning;

namespace Ragtune.Embedded.Files;

/// <summary>Where the embedded default writes fine-tune datasets (section <c>Ragtune:FineTuning</c>, beside <see cref="FineTuningOptions"/>).</summary>
public sealed class DatasetFolderOptions
{
    public const string SectionName = FineTuningOptions.SectionName;

    /// <summary>The folder of the exports (<c>--out</c>); empty: <c>datasets</c> in the data folder.</summary>
    public string? OutputDirectory { get; set; }
}
