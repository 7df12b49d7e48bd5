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
    /// A weighted sum of each list's scores scaled to [0, 1]: the list's best score is 1 and the score at rank
    /// <see cref="SqliteStorageOptions.HybridCandidates"/> (or the list's last, when shorter) is 0, lower scores clamp at 0,
    /// and a row absent from a list gets 0 from it. Unlike ranks, it keeps how far apart the candidates' scores are; the
    /// fixed depth keeps the scale the same however many results a search asks for.
    /// </summary>
    NormalizedScore,
}

/// <summary>A ranked list of candidates (best first) and its weight in the fusion.</summary>
internal readonly record struct WeightedRanking(IReadOnlyList<ScoredRow> Rows, double Weight);

/// <summary>The fusion functions of hybrid search (see <see cref="HybridFusion"/>).</summary>
internal static class RankFusion
{
    /// <summary>Fuses the lists: <paramref name="k"/> is RRF's constant, <paramref name="depth"/> the rank scaled to 0 by score fusion.</summary>
    public static Dictionary<long, double> Fuse(HybridFusion fusion, int k, int depth, params ReadOnlySpan<WeightedRanking> rankings) =>
        fusion == HybridFusion.NormalizedScore ? FuseNormalizedScores(depth, rankings) : FuseReciprocalRanks(k, rankings);

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

    /// <summary>
    /// Each row's sum over the lists (each best first) of weight × max(0, (score − floor) / (best − floor)), the floor being
    /// the score at rank <paramref name="depth"/> or the list's last (1 when best and floor are equal).
    /// </summary>
    public static Dictionary<long, double> FuseNormalizedScores(int depth, params ReadOnlySpan<WeightedRanking> rankings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        var fused = new Dictionary<long, double>();
        foreach (var (rows, weight) in rankings)
        {
            if (rows.Count == 0)
            {
                continue;
            }

            var floor = rows[Math.Min(depth, rows.Count) - 1].Score;
            var range = rows[0].Score - floor;
            foreach (var row in rows)
            {
                var scaled = range > 0 ? Math.Max(0, (row.Score - floor) / range) : 1.0;
                fused[row.RowId] = fused.GetValueOrDefault(row.RowId) + (weight * scaled);
            }
        }

        return fused;
    }
}
