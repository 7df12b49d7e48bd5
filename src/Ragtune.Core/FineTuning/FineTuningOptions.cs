using System.ComponentModel.DataAnnotations;

namespace Ragtune.Core.FineTuning;

/// <summary>How rated answers become fine-tune datasets (section <c>Ragtune:FineTuning</c>).</summary>
public sealed class FineTuningOptions
{
    public const string SectionName = "Ragtune:FineTuning";

    /// <summary>
    /// The model the datasets are for: its tokenizer counts the tokens and its limit excludes long examples. The default,
    /// gpt-4.1-mini, is a model Azure OpenAI fine-tunes with both SFT and DPO (its fine-tuning models table of
    /// 2026-09-21); the gpt-5 family is offered there for reinforcement fine-tuning only.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string BaseModel { get; set; } = "gpt-4.1-mini";

    /// <summary>
    /// The tokens one example may have; unset, the base model's limit for fine-tuning (65,536 for gpt-4o and gpt-4.1,
    /// 32,768 for gpt-4.1-nano, 16,385 for gpt-35-turbo and other cl100k_base models).
    /// </summary>
    [Range(64, 10_000_000)]
    public int? MaxTokensPerExample { get; set; }

    /// <summary>
    /// The share of answers whose examples go to the validation files, chosen by a hash of the answer id so that an
    /// answer stays on its side in every export.
    /// </summary>
    [Range(0, 50)]
    public int ValidationPercent { get; set; } = 10;

    /// <summary>
    /// The fewest training examples a dataset (SFT or DPO, each on its own) needs for its files to be written; Azure
    /// OpenAI rejects training files with fewer than 10.
    /// </summary>
    [Range(1, 100_000)]
    public int MinTrainingExamples { get; set; } = 10;

    /// <summary>Start each data file with a UTF-8 byte-order mark (Azure OpenAI documents uploads as UTF-8 with BOM).</summary>
    public bool ByteOrderMark { get; set; }

    /// <summary>
    /// When the export runs (the Functions app's timer, <c>ragtune serve</c>'s schedule), as a cron expression in UTC
    /// (<see cref="ExportScheduleExpression"/>): six fields with seconds first, as Azure Functions timers write them, or
    /// five (minute hour day month weekday). Empty: no scheduled export (serve only: the timer needs one). Checked at
    /// start. The default is daily at 03:00.
    /// </summary>
    public string Schedule { get; set; } = "0 0 3 * * *";
}
