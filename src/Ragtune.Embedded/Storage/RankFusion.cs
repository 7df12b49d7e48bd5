namespace Ragtune.Embedded.Storage;

/// <summary>How hybrid search combines its vector and keyword lists into one ranking.</summary>
public enum HybridFusion
{
    /// <summary>
    /// Weighted reciprocal rank fusion, as Azure AI Search fuses hybrid results: a row at rank r (from 1) of a list adds
    /// weight / (k + r). Only ranks count, whatever the lists' own score scales.
    /// </summary>
    ReciprocalRank,

    /// <summary>
    /// A weighted sum of each list's scores scaled to [0, 1] over its candidates (min-max); a row absent from a list
    /// gets 0 from it. Unlike ranks, it keeps how far apart the candidates' scores are.
    /// </summary>
    NormalizedScore,
}

/// <summary>A ranked list of candidates (best first) and its weight in the fusion.</summary>
internal readonly record struct WeightedRanking(IReadOnlyList<ScoredRow> Rows, double Weight);

/// <summary>The fusion functions of hybrid search (see <see cref="HybridFusion"/>).</summary>
internal static class RankFusion
{
    public static Dictionary<long, double> Fuse(HybridFusion fusion, int k, params ReadOnlySpan<WeightedRanking> rankings) =>
        fusion == HybridFusion.NormalizedScore ? FuseNormalizedScores(rankings) : FuseReciprocalRanks(k, rankings);

    /// <summary>Each row's sum over the lists of weight / (k + rank).</summary>
    public static Dictionary<long, double> FuseReciprocalRanks(int k, params ReadOnlySpan<WeightedRanking> rankings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var fused = new Dictionary<long, double>();
        foreach (var (rows, weight) in rankings)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                fused[rows[i].RowId] = fused.GetValueOrDefault(rows[i].RowId) + (weight / (k + i + 1));
            }
        }

        return fused;
    }

    /// <summary>Each row's sum over the lists of weight × (score − min) / (max − min), the list's extremes over its rows (1 when they are equal).</summary>
    public static Dictionary<long, double> FuseNormalizedScores(params ReadOnlySpan<WeightedRanking> rankings)
    {
        var fused = new Dictionary<long, double>();
        foreach (var (rows, weight) in rankings)
        {
            if (rows.Count == 0)
            {
                continue;
            }

            var min = rows.Min(row => row.Score);
            var range = rows.Max(row => row.Score) - min;
            foreach (var row in rows)
            {
                var scaled = range > 0 ? (row.Score - min) / range : 1.0;
                fused[row.RowId] = fused.GetValueOrDefault(row.RowId) + (weight * scaled);
            }
        }

        return fused;
    }
}
