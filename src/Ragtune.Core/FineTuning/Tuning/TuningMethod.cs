using System.Text.Json.Serialization;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>How a run trains: on the export's SFT files (supervised) or its DPO files (preference pairs).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TuningMethod>))]
public enum TuningMethod
{
    /// <summary>Supervised fine-tuning on <c>sft.train.jsonl</c>; the fine-tuning API's method <c>supervised</c>.</summary>
    [JsonStringEnumMemberName("sft")]
    Sft,

    /// <summary>Direct preference optimisation on <c>dpo.train.jsonl</c>; the fine-tuning API's method <c>dpo</c>.</summary>
    [JsonStringEnumMemberName("dpo")]
    Dpo,
}

/// <summary>The names a method goes by: on the command line, in file names, and in the fine-tuning API.</summary>
public static class TuningMethods
{
    /// <summary><c>sft</c> or <c>dpo</c>: the <c>--method</c> value and the export's dataset name.</summary>
    public static string Name(this TuningMethod method) => method == TuningMethod.Dpo ? DatasetExportRun.Dpo : DatasetExportRun.Sft;

    /// <summary>The fine-tuning API's <c>method.type</c>: <c>supervised</c> or <c>dpo</c>.</summary>
    public static string ApiType(this TuningMethod method) => method == TuningMethod.Dpo ? "dpo" : "supervised";

    /// <summary>The export's training file for the method.</summary>
    public static string TrainingFile(this TuningMethod method) => $"{method.Name()}.train.jsonl";

    /// <summary>The export's validation file for the method: the examples the gate compares the models on.</summary>
    public static string ValidationFile(this TuningMethod method) => $"{method.Name()}.valid.jsonl";

    /// <summary>The run's report, saved beside the export's files.</summary>
    public static string ReportFile(this TuningMethod method) => $"tuning-report.{method.Name()}.json";

    /// <summary>Reads <c>sft</c> or <c>dpo</c> (any case); null for anything else.</summary>
    public static TuningMethod? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        DatasetExportRun.Sft => TuningMethod.Sft,
        DatasetExportRun.Dpo => TuningMethod.Dpo,
        _ => null,
    };
}
