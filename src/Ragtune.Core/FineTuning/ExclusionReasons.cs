namespace Ragtune.Core.FineTuning;

/// <summary>
/// Why an example was left out (the <c>reason</c> of an <c>excluded.jsonl</c> line): these, or the code of the first
/// problem <see cref="FineTuneExampleValidator"/> found.
/// </summary>
public static class ExclusionReasons
{
    /// <summary>Same system message, question and answer, after normalisation, as an earlier answer's example.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>A down-rated answer without a correction gives no example.</summary>
    public const string DownWithoutCorrection = "down_without_correction";

    /// <summary>A "correction" equal to the down-rated answer after normalisation corrects nothing: no SFT example (and no DPO pair, <see cref="FineTuneExampleValidator.DpoIdenticalOutputs"/>).</summary>
    public const string CorrectionEqualsAnswer = "correction_equals_answer";

    /// <summary>
    /// The answer drew on a document that not every caller may read (it has groups now, or it is gone and the asker had
    /// groups), or its asker had groups and sent history that may quote one: a model trained on it would tell anyone.
    /// </summary>
    public const string RestrictedContext = "restricted_context";
}
