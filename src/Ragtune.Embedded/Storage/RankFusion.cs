namespace Ragtune.Embedded.Storage;

/// <summary>
/// Reciprocal rank fusion, as Azure AI Search fuses hybrid results: a row at rank r (from 1) of a list adds
/// 1 / (k + r) to its score, so rows ranked high in both lists come first, whatever the lists' own score scales.
/// </summary>
internal static class RankFusion
{
    public static Dictionary<long, double> Fuse(int k, params ReadOnlySpan<IReadOnlyList<ScoredRow>> rankings)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var fused = new Dictionary<long, double>();
        foreach (var ranking in rankings)
        {
            for (var i = 0; i < ranking.Count; i++)
            {
                fused[ranking[i].RowId] = fused.GetValueOrDefault(ranking[i].RowId) + (1.0 / (k + i + 1));
            }
        }

        return fused;
    }
}
