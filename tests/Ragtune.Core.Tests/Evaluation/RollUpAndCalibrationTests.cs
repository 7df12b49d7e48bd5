using Ragtune.Core.Evaluation;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;

namespace Ragtune.Core.Tests.Evaluation;

public sealed class RollUpAndCalibrationTests
{
    [Fact]
    public void RankDocuments_SeveralChunksOfADocument_RanksItWhereItsBestChunkRanks()
    {
        var corpus = new IndexedCorpus(
            new Dictionary<string, string> { ["corpus/a.txt"] = "a", ["corpus/b.txt"] = "b", ["corpus/c.txt"] = "c" },
            Array.Empty<IngestionResult>(),
            TimeSpan.Zero);

        var ranking = corpus.RankDocuments([Hit("corpus/b.txt", 1), Hit("corpus/a.txt", 0), Hit("corpus/b.txt", 0), Hit("other.md", 0), Hit("corpus/c.txt", 2)], 2);

        Assert.Equal(["b", "a"], ranking);
    }

    [Fact]
    public void Calibration_SplitsRelevantFromOtherChunks()
    {
        var calibration = SimilarityCalibration.From([(0.9f, true), (0.5f, true), (0.7f, true), (0.2f, false), (0.4f, false), (0.6f, false), (0.1f, false)]);

        Assert.Equal(3, calibration.RelevantCount);
        Assert.Equal(4, calibration.OtherCount);
        Assert.Equal(0.5f, calibration.RelevantPercentile(5));
        Assert.Equal(0.7f, calibration.RelevantPercentile(50));
        Assert.Equal(0.6f, calibration.OtherPercentile(100));
        Assert.Equal(2.0 / 3, calibration.RelevantKept(0.6f), 12);
        Assert.Equal(0.5, calibration.OtherKept(0.4f), 12);
        Assert.Equal(0, calibration.OtherKept(0.95f));
    }

    private static ChunkHit Hit(string source, int ordinal) =>
        new(new IndexChunk($"{source}-{ordinal}", DocumentIds.ForSource(source), ordinal, source, 1, "text", "hash", [], ReadOnlyMemory<float>.Empty), 0.5f, 1.0);
}
