namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// The gate a candidate passes to be promoted: on every validation example both models' answers are scored against
/// the rated reference, and the candidate wins only if the mean paired difference is at least
/// <see cref="GateOptions.MinImprovement"/> and a paired bootstrap 95% interval of that mean lies above zero. Fewer
/// examples than <see cref="GateOptions.MinExamples"/> are not evidence either way.
/// </summary>
/// <remarks>
/// The bootstrap resamples the examples' differences with replacement <see cref="Resamples"/> times from a fixed seed,
/// so the same scores always give the same interval; the interval is the 2.5th and 97.5th percentiles of the resampled
/// means (the percentile method).
/// </remarks>
public static class TuningGate
{
    public const int Resamples = 10_000;

    public const int Seed = 20_261_127;

    public static GateResult Decide(IReadOnlyList<PairedScore> scores, GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        if (scores.Count == 0 || scores.Count < options.MinExamples)
        {
            var summary = scores.Count == 0
                ? new EvaluationSummary(0, 0, 0, 0, [0, 0])
                : new EvaluationSummary(scores.Count, scores.Average(s => s.Active), scores.Average(s => s.Candidate), scores.Average(s => s.Difference), [0, 0]);
            return new GateResult(TuningVerdict.InsufficientEvidence, summary);
        }

        var differences = scores.Select(s => s.Difference).ToArray();
        var (low, high) = BootstrapInterval(differences);
        var mean = differences.Average();
        var result = new EvaluationSummary(
            scores.Count, scores.Average(s => s.Active), scores.Average(s => s.Candidate), mean, [low, high]);
        var promoted = mean >= options.MinImprovement && low > 0;
        return new GateResult(promoted ? TuningVerdict.Promoted : TuningVerdict.Rejected, result);
    }

    /// <summary>The paired bootstrap's 95% interval of the mean difference.</summary>
    public static (double Low, double High) BootstrapInterval(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var n = differences.Count;
        var means = new double[Resamples];
#pragma warning disable CA5394 // Not for security: a seeded generator makes the interval reproducible.
        var random = new Random(Seed);
        for (var b = 0; b < Resamples; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += differences[random.Next(n)];
            }

            means[b] = sum / n;
        }
#pragma warning restore CA5394

        Array.Sort(means);
        return (means[(int)(0.025 * Resamples)], means[(int)(0.975 * Resamples) - 1]);
    }
}

/// <summary>The gate's settings (section <c>Ragtune:FineTuning:Gate</c>).</summary>
public sealed class GateOptions
{
    /// <summary>The least mean improvement (candidate minus active, on the 0 to 1 score) that promotes.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double MinImprovement { get; set; } = 0.02;

    /// <summary>The fewest validation examples that are evidence; with fewer, the verdict is insufficient evidence (and nothing is trained).</summary>
    [System.ComponentModel.DataAnnotations.Range(2, 100_000)]
    public int MinExamples { get; set; } = 10;

    /// <summary>Also ask the active chat model which of the two answers is closer to the reference, in both orders.</summary>
    public bool Judge { get; set; }

    /// <summary>The most tokens each model may answer a validation prompt with.</summary>
    [System.ComponentModel.DataAnnotations.Range(16, 100_000)]
    public int MaxOutputTokens { get; set; } = 800;
}

/// <summary>One validation example's scores (0 to 1): the active model's, the candidate's, and their difference.</summary>
public sealed record PairedScore(double Active, double Candidate)
{
    public double Difference => Candidate - Active;
}

/// <summary>The gate's decision and its figures.</summary>
public sealed record GateResult(TuningVerdict Verdict, EvaluationSummary Summary);

/// <summary>
/// The gate's figures, as <c>tune status --json</c> shows them: examples compared, each model's mean score, the mean
/// paired difference, and its 95% interval <c>[low, high]</c>.
/// </summary>
public sealed record EvaluationSummary(int Examples, double Active, double Candidate, double Difference, IReadOnlyList<double> Ci95)
{
    /// <summary>Equal when every figure is, the interval's ends included.</summary>
    public bool Equals(EvaluationSummary? other) =>
        other is not null && (Examples, Active, Candidate, Difference) == (other.Examples, other.Active, other.Candidate, other.Difference) && Ci95.SequenceEqual(other.Ci95);

    public override int GetHashCode() => HashCode.Combine(Examples, Active, Candidate, Difference);
}
