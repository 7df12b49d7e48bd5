using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// A run's evaluation, saved beside its export (<c>tuning-report.{method}.json</c>): the gate's settings, every
/// validation example with both answers and their scores, the interval, the verdict, and the tokens spent.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Export">Its export.</param>
/// <param name="Method">SFT or DPO.</param>
/// <param name="JobId">The fine-tuning job (none when nothing was trained).</param>
/// <param name="FineTunedModel">The candidate (none when nothing was trained).</param>
/// <param name="ActiveModel">The model it was compared with.</param>
/// <param name="EvaluatedAt">When.</param>
/// <param name="Gate">The gate's settings.</param>
/// <param name="Evaluation">The figures.</param>
/// <param name="Verdict">The decision.</param>
/// <param name="Tokens">Tokens spent: training, and each model's answers and the judge's.</param>
/// <param name="Examples">Every example compared.</param>
public sealed record TuningReport(
    string RunId,
    string Export,
    TuningMethod Method,
    string? JobId,
    string? FineTunedModel,
    string ActiveModel,
    DateTimeOffset EvaluatedAt,
    GateSettings Gate,
    EvaluationSummary Evaluation,
    TuningVerdict Verdict,
    TokensSpent Tokens,
    IReadOnlyList<ExampleReport> Examples)
{
    /// <summary>Reports are indented (people read them), camelCase, text as itself.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static TuningReport Read(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<TuningReport>(json, JsonOptions) ?? throw new InvalidDataException("The report is empty.");
}

/// <summary>How the gate decided.</summary>
public sealed record GateSettings(double MinImprovement, int MinExamples, bool Judge, int Resamples, int Seed, string Score)
{
    public const string ScoreDescription =
        "per example and model: the mean of token F1 and the embedding model's cosine (clamped at 0) against the reference, and the judge's preference when on";

    public static GateSettings From(GateOptions options) =>
        new(options.MinImprovement, options.MinExamples, options.Judge, TuningGate.Resamples, TuningGate.Seed, ScoreDescription);
}

/// <summary>Tokens spent by a run: trained on (billed by the service), and by the evaluation's calls.</summary>
public sealed record TokensSpent(long? Training, ChatTokens Active, ChatTokens Candidate, ChatTokens Judge);

/// <summary>Input and output tokens of chat calls (as the service reported them).</summary>
public sealed record ChatTokens(long Input, long Output)
{
    public static ChatTokens None { get; } = new(0, 0);

    public ChatTokens Add(Microsoft.Extensions.AI.UsageDetails? usage) =>
        usage is null ? this : new(Input + (usage.InputTokenCount ?? 0), Output + (usage.OutputTokenCount ?? 0));
}

/// <summary>One validation example: the reference, both answers, and their scores.</summary>
public sealed record ExampleReport(int Line, string Reference, string ActiveAnswer, string CandidateAnswer, ExampleScores Active, ExampleScores Candidate, double Difference);

/// <summary>One answer's scores against the reference (0 to 1).</summary>
/// <param name="TokenF1">SQuAD's token F1.</param>
/// <param name="Cosine">The embedding model's cosine similarity, clamped at 0.</param>
/// <param name="Judge">The judge's preference for this answer (1: chosen in both orders, 0.5: split or tie, 0: never), when the judge is on.</param>
/// <param name="Score">The mean of the metrics above: what the gate compares.</param>
public sealed record ExampleScores(double TokenF1, double Cosine, double? Judge, double Score);
