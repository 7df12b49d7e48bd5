using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

public sealed class TuningGateTests
{
    private static readonly GateOptions Options = new() { MinImprovement = 0.02, MinExamples = 10 };

    [Fact]
    public void Decide_ClearlyBetterOnEveryExample_Promotes()
    {
        var scores = Enumerable.Range(0, 20).Select(i => new PairedScore(0.4 + (i % 3 * 0.01), 0.7 + (i % 4 * 0.01))).ToList();

        var result = TuningGate.Decide(scores, Options);

        Assert.Equal(TuningVerdict.Promoted, result.Verdict);
        Assert.Equal(20, result.Summary.Examples);
        Assert.InRange(result.Summary.Difference, 0.29, 0.32);
        Assert.True(result.Summary.Ci95[0] > 0 && result.Summary.Ci95[0] <= result.Summary.Difference && result.Summary.Difference <= result.Summary.Ci95[1]);
    }

    [Fact]
    public void Decide_BetterByLessThanTheMinimum_Rejects_EvenWithTheIntervalAboveZero()
    {
        var scores = Enumerable.Range(0, 50).Select(_ => new PairedScore(0.5, 0.51)).ToList();

        var result = TuningGate.Decide(scores, Options);

        Assert.Equal(TuningVerdict.Rejected, result.Verdict);
        Assert.True(result.Summary.Ci95[0] > 0);
    }

    [Fact]
    public void Decide_BetterOnAverageButNotReliably_Rejects()
    {
        // One example far better, the rest slightly worse: the mean clears the minimum, the interval reaches below zero.
        var scores = Enumerable.Range(0, 12).Select(i => i == 0 ? new PairedScore(0, 1) : new PairedScore(0.6, 0.55)).ToList();

        var result = TuningGate.Decide(scores, Options);

        Assert.True(result.Summary.Difference >= Options.MinImprovement);
        Assert.True(result.Summary.Ci95[0] <= 0);
        Assert.Equal(TuningVerdict.Rejected, result.Verdict);
    }

    [Fact]
    public void Decide_Worse_Rejects()
    {
        var scores = Enumerable.Range(0, 20).Select(_ => new PairedScore(0.8, 0.3)).ToList();

        Assert.Equal(TuningVerdict.Rejected, TuningGate.Decide(scores, Options).Verdict);
    }

    [Fact]
    public void Decide_FewerExamplesThanTheMinimum_IsInsufficientEvidence_HoweverGood()
    {
        var scores = Enumerable.Range(0, 9).Select(_ => new PairedScore(0, 1)).ToList();

        var result = TuningGate.Decide(scores, Options);

        Assert.Equal(TuningVerdict.InsufficientEvidence, result.Verdict);
        Assert.Equal(9, result.Summary.Examples);
    }

    [Fact]
    public void BootstrapInterval_IsTheSameEveryTime_AndHoldsTheMean()
    {
        var differences = Enumerable.Range(0, 30).Select(i => ((i * 37) % 11 / 10.0) - 0.3).ToList();

        var first = TuningGate.BootstrapInterval(differences);
        var second = TuningGate.BootstrapInterval(differences);

        Assert.Equal(first, second);
        Assert.InRange(differences.Average(), first.Low, first.High);
        Assert.True(first.Low < first.High);
    }

    [Fact]
    public void BootstrapInterval_OfIdenticalDifferences_IsThatValue()
    {
        Assert.Equal((0.25, 0.25), TuningGate.BootstrapInterval(Enumerable.Repeat(0.25, 15).ToList()));
    }
}
