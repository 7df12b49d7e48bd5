namespace Ragtune.Core.Evaluation;

/// <summary>
/// The cosine similarities of the top chunks of judged queries, split into chunks of a judged-relevant document and
/// the others: the evidence for a similarity threshold (what share of each a threshold would keep).
/// </summary>
public sealed class SimilarityCalibration
{
    private readonly float[] _relevant;
    private readonly float[] _other;

    private SimilarityCalibration(float[] relevant, float[] other)
    {
        _relevant = relevant;
        _other = other;
    }

    public int RelevantCount => _relevant.Length;

    public int OtherCount => _other.Length;

    public static SimilarityCalibration From(IEnumerable<(float Similarity, bool Relevant)> chunks)
    {
        var relevant = new List<float>();
        var other = new List<float>();
        foreach (var (similarity, isRelevant) in chunks)
        {
            (isRelevant ? relevant : other).Add(similarity);
        }

        var relevantSorted = relevant.ToArray();
        var otherSorted = other.ToArray();
        Array.Sort(relevantSorted);
        Array.Sort(otherSorted);
        return new SimilarityCalibration(relevantSorted, otherSorted);
    }

    /// <summary>The <paramref name="percentile"/>th percentile (0-100, nearest rank) of the relevant chunks' similarities.</summary>
    public float RelevantPercentile(double percentile) => Percentile(_relevant, percentile);

    /// <summary>The <paramref name="percentile"/>th percentile (0-100, nearest rank) of the other chunks' similarities.</summary>
    public float OtherPercentile(double percentile) => Percentile(_other, percentile);

    /// <summary>The share of relevant chunks whose similarity is at least <paramref name="threshold"/>.</summary>
    public double RelevantKept(float threshold) => ShareAtLeast(_relevant, threshold);

    /// <summary>The share of other chunks whose similarity is at least <paramref name="threshold"/>.</summary>
    public double OtherKept(float threshold) => ShareAtLeast(_other, threshold);

    private static float Percentile(float[] sorted, double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (sorted.Length == 0)
        {
            return float.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static double ShareAtLeast(float[] sorted, float threshold)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        // The first index whose value is >= threshold.
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sorted[middle] < threshold)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return (double)(sorted.Length - low) / sorted.Length;
    }
}
