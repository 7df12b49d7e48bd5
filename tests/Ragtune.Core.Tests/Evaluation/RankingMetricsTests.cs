using Ragtune.Core.Evaluation;

namespace Ragtune.Core.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    // Three relevant documents: d2 (grade 1) at rank 2, d4 (grade 2) at rank 4, d9 (grade 1) not retrieved; d1 is
    // judged not relevant (grade 0) and d3 is not judged.
    private static readonly string[] Ranking = ["d1", "d2", "d3", "d4"];

    private static readonly Dictionary<string, int> Grades = new() { ["d1"] = 0, ["d2"] = 1, ["d4"] = 2, ["d9"] = 1 };

    [Fact]
    public void Ndcg_GradedJudgments_MatchesHandComputedValues()
    {
        // Ideal DCG: 2/log2(2) + 1/log2(3) + 1/log2(4) = 2 + 0.6309298 + 0.5 = 3.1309298.
        // @3: DCG = 1/log2(3) = 0.6309298 -> 0.2015151. @10: DCG = 0.6309298 + 2/log2(5) = 1.4922829 -> 0.4766261.
        Assert.Equal(0.2015151, RankingMetrics.Ndcg(Ranking, Grades, 3), 6);
        Assert.Equal(0.4766261, RankingMetrics.Ndcg(Ranking, Grades, 10), 6);
        Assert.Equal(0, RankingMetrics.Ndcg(Ranking, Grades, 1));
    }

    [Fact]
    public void Ndcg_IdealRanking_IsOne()
    {
        Assert.Equal(1.0, RankingMetrics.Ndcg(["d4", "d2", "d9"], Grades, 10), 12);

        // Equal grades in another order are just as ideal.
        Assert.Equal(1.0, RankingMetrics.Ndcg(["d4", "d9", "d2", "d1"], Grades, 10), 12);
    }

    [Fact]
    public void Recall_CountsRelevantDocumentsInTheCut()
    {
        Assert.Equal(0, RankingMetrics.Recall(Ranking, Grades, 1));
        Assert.Equal(1.0 / 3, RankingMetrics.Recall(Ranking, Grades, 3), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.Recall(Ranking, Grades, 100), 12);
    }

    [Fact]
    public void ReciprocalRank_IsOfTheFirstRelevantDocumentWithinTheCut()
    {
        Assert.Equal(0.5, RankingMetrics.ReciprocalRank(Ranking, Grades, 10));
        Assert.Equal(0.5, RankingMetrics.ReciprocalRank(Ranking, Grades, 2));
        Assert.Equal(0, RankingMetrics.ReciprocalRank(Ranking, Grades, 1));
    }

    [Fact]
    public void Metrics_NoRelevantDocument_AreZero()
    {
        var none = new Dictionary<string, int> { ["d1"] = 0 };

        var scores = RankingMetrics.Score(Ranking, none, 10);

        Assert.Equal(new RetrievalScores(0, 0, 0, 0), scores);
    }

    [Fact]
    public void Mean_AveragesEachMeasureOverQueries()
    {
        var first = RankingMetrics.Score(Ranking, Grades, 10);
        var second = RankingMetrics.Score(["d4", "d2", "d9"], Grades, 10);

        var mean = RetrievalScores.Mean([first, second]);

        Assert.Equal((0.4766261 + 1) / 2, mean.Ndcg, 6);
        Assert.Equal(((2.0 / 3) + 1) / 2, mean.Recall, 12);
        Assert.Equal(((2.0 / 3) + 1) / 2, mean.DeepRecall, 12);
        Assert.Equal((0.5 + 1) / 2, mean.ReciprocalRank, 12);
    }
}
