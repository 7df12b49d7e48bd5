namespace Ragtune.Core.Evaluation;

/// <summary>
/// The ranking measures of trec_eval (as BEIR reports them through pytrec_eval), for one query's ranked documents.
/// A document is relevant when its grade is above zero; unjudged documents are not relevant.
/// </summary>
public static class RankingMetrics
{
    /// <summary>
    /// trec_eval's <c>ndcg_cut.k</c>: DCG of the first <paramref name="k"/> documents, gain = the grade, discount
    /// log2(rank + 1), divided by the DCG of the ideal ranking of every judged document cut at k; 0 when none is relevant.
    /// </summary>
    public static double Ndcg(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> grades, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, ranking.Count); i++)
        {
            if (grades.TryGetValue(ranking[i], out var grade) && grade > 0)
            {
                dcg += grade / Math.Log2(i + 2);
            }
        }

        var ideal = grades.Values.Where(grade => grade > 0).OrderDescending().Take(k).Select((grade, i) => grade / Math.Log2(i + 2)).Sum();
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>trec_eval's <c>recall.k</c>: the share of the relevant documents found in the first <paramref name="k"/>.</summary>
    public static double Recall(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> grades, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var relevant = grades.Count(pair => pair.Value > 0);
        return relevant == 0 ? 0 : (double)ranking.Take(k).Count(id => IsRelevant(grades, id)) / relevant;
    }

    /// <summary>
    /// MRR@k as BEIR computes it: the reciprocal rank of the first relevant document among the first <paramref name="k"/>,
    /// 0 when there is none (trec_eval's <c>recip_rank</c>, cut at k).
    /// </summary>
    public static double ReciprocalRank(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> grades, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        for (var i = 0; i < Math.Min(k, ranking.Count); i++)
        {
            if (IsRelevant(grades, ranking[i]))
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    /// <summary>The four measures of one query's ranking, with <paramref name="k"/> as the cut of nDCG, MRR and the first recall.</summary>
    public static RetrievalScores Score(IReadOnlyList<string> ranking, IReadOnlyDictionary<string, int> grades, int k) =>
        new(Ndcg(ranking, grades, k), Recall(ranking, grades, k), Recall(ranking, grades, RetrievalScores.DeepRecallCut), ReciprocalRank(ranking, grades, k));

    private static bool IsRelevant(IReadOnlyDictionary<string, int> grades, string id) => grades.TryGetValue(id, out var grade) && grade > 0;
}

/// <summary>nDCG@k, Recall@k, Recall@100 and MRR@k of one query, or their means over queries.</summary>
public sealed record RetrievalScores(double Ndcg, double Recall, double DeepRecall, double ReciprocalRank)
{
    /// <summary>The cut of the deep recall: 100, as BEIR reports it.</summary>
    public const int DeepRecallCut = 100;

    /// <summary>The mean of each measure over the queries (all zero for none).</summary>
    public static RetrievalScores Mean(IReadOnlyCollection<RetrievalScores> scores) =>
        scores.Count == 0
            ? new(0, 0, 0, 0)
            : new(scores.Average(s => s.Ndcg), scores.Average(s => s.Recall), scores.Average(s => s.DeepRecall), scores.Average(s => s.ReciprocalRank));
}
