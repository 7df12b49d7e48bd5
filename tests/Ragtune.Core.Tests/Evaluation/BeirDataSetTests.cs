using Ragtune.Core.Evaluation;
using Ragtune.Testing;

namespace Ragtune.Core.Tests.Evaluation;

public sealed class BeirDataSetTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task ReadJudgments_HeaderAndGrades_GroupsByQueryInFileOrder()
    {
        var path = _folder.WriteFile("qrels.tsv", "query-id\tcorpus-id\tscore\n7\t31\t1\n3\t12\t0\n7\t40\t2\n\n");

        var judgments = await BeirDataSet.ReadJudgmentsAsync(path);

        Assert.Equal(["7", "3"], judgments.QueryIds);
        Assert.Equal(new Dictionary<string, int> { ["31"] = 1, ["40"] = 2 }, judgments.For("7"));
        Assert.Equal(0, judgments.For("3")["12"]);
        Assert.Empty(judgments.For("unknown"));
    }

    [Fact]
    public async Task ReadJudgments_MalformedLine_NamesTheLine()
    {
        var path = _folder.WriteFile("qrels.tsv", "query-id\tcorpus-id\tscore\n7\t31\t1\n7\t40\n");

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => BeirDataSet.ReadJudgmentsAsync(path));

        Assert.Contains("line 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadCorpus_TitleAndText_IndexedAsTitleBlankLineText()
    {
        var path = _folder.WriteFile("corpus.jsonl", "{\"_id\": \"4983\", \"title\": \"Microstructural development\", \"text\": \"Alterations of the architecture.\", \"metadata\": {}}\n{\"_id\": 5, \"text\": \"No title.\"}\n");

        var documents = new List<BeirDocument>();
        await foreach (var document in BeirDataSet.ReadCorpusAsync(path))
        {
            documents.Add(document);
        }

        Assert.Equal("4983", documents[0].Id);
        Assert.Equal("Microstructural development\n\nAlterations of the architecture.", documents[0].IndexedText);
        Assert.Equal("5", documents[1].Id);
        Assert.Equal("No title.", documents[1].IndexedText);
    }

    [Theory]
    [InlineData("Microstructural development", "Alterations.", "# Microstructural development\n\nAlterations.")]
    [InlineData("Two\nlines ", "Text.", "# Two lines\n\nText.")]
    [InlineData("", "No title.", "No title.")]
    [InlineData("Title only", "", "# Title only")]
    public void MarkdownText_TitleIsAHeadingOnOneLineAboveTheText(string title, string text, string expected) =>
        Assert.Equal(expected, new BeirDocument("1", title, text).MarkdownText);

    public void Dispose() => _folder.Dispose();
}
