using System.Globalization;
using Ragtune.Cli.Tests.Contract;
using Ragtune.Core.Answering;
using Xunit.Abstractions;

namespace Ragtune.Cli.Tests.Http;

/// <summary>POST /api/ask over the Contoso documents: answers cite what the evaluation set says they should.</summary>
[Collection(ServeCollection.Name)]
public sealed class AskTests(ServeFixture fixture, ITestOutputHelper output)
{
    /// <summary>
    /// The least share of ground-truth questions whose cited file is among the answer's citations. Measured here:
    /// 50 of 50 (with the default top 5 over the whole Contoso set).
    /// </summary>
    private const double MinFileAmongCitations = 0.9;

    /// <summary>The least share whose cited file is the first (most relevant) citation. Measured here: 42 of 50.</summary>
    private const double MinFileFirst = 0.7;

    [Fact]
    public async Task Ask_GroundTruthQuestions_CiteTheFilesTheReferenceAnswersCite()
    {
        var indexed = Directory.EnumerateFiles(fixture.Documents).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var cases = GroundTruthCase.Load().Where(c => c.Files.All(indexed.Contains)).ToList();
        Assert.True(cases.Count >= 20, $"Only {cases.Count} ground-truth questions cite the ingested documents.");

        int amongCitations = 0, first = 0, samePage = 0;
        foreach (var groundTruth in cases)
        {
            var answer = await fixture.Client.AskAsync(new { question = groundTruth.Question });
            ApiShapes.AssertAnswer(answer);
            Assert.True(answer.GetProperty("grounded").GetBoolean(), $"Not grounded: {groundTruth.Question}");
            Assert.NotEmpty(ApiShapes.Markers(answer.GetProperty("answer").GetString()!));

            var citations = answer.GetProperty("citations").EnumerateArray()
                .Select(c => (Source: c.GetProperty("source").GetString()!, Page: c.GetProperty("page").GetInt32()))
                .ToList();
            if (citations.Any(c => groundTruth.Files.Contains(c.Source)))
            {
                amongCitations++;
            }
            else
            {
                output.WriteLine($"missed: {groundTruth.Question} (cites {string.Join(", ", groundTruth.Files)}; got {string.Join(", ", citations.Select(c => c.Source).Distinct())})");
            }

            if (groundTruth.Files.Contains(citations[0].Source))
            {
                first++;
            }

            if (citations.Any(c => groundTruth.Cited.Contains((c.Source, c.Page))))
            {
                samePage++;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases.Count} questions: cited file among the citations {amongCitations} ({Share(amongCitations, cases.Count):P0}), first citation {first} ({Share(first, cases.Count):P0}), cited page among the citations {samePage} ({Share(samePage, cases.Count):P0}); first ingestion took {fixture.IngestionTime.TotalSeconds:N0} s"));
        Assert.True(Share(amongCitations, cases.Count) >= MinFileAmongCitations, $"The cited file is among the citations for {amongCitations} of {cases.Count} questions.");
        Assert.True(Share(first, cases.Count) >= MinFileFirst, $"The cited file is the first citation for {first} of {cases.Count} questions.");
    }

    [Fact]
    public async Task Ask_MinSimilarityAboveEveryChunk_IsNotGroundedAndSaysSo()
    {
        var answer = await fixture.Client.AskAsync(new { question = "What is the copay for Northwind Health Plus?", minSimilarity = 0.99 });

        ApiShapes.AssertAnswer(answer);
        Assert.False(answer.GetProperty("grounded").GetBoolean());
        Assert.Empty(answer.GetProperty("citations").EnumerateArray());
        Assert.Equal(new AnswerOptions().NotGroundedAnswer, answer.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task Ask_OffTopicQuestion_IsNotGrounded()
    {
        var answer = await fixture.Client.AskAsync(new { question = "What is the capital of France?" });

        ApiShapes.AssertAnswer(answer);
        Assert.False(answer.GetProperty("grounded").GetBoolean());
        Assert.Equal(new AnswerOptions().NotGroundedAnswer, answer.GetProperty("answer").GetString());
    }

    [Theory]
    [InlineData("vector")]
    [InlineData("keyword")]
    [InlineData("hybrid")]
    public async Task Ask_EachMode_AnswersWithinTopAndTheSourceFilter(string mode)
    {
        const string Source = "Northwind_Standard_Benefits_Details.pdf";
        var answer = await fixture.Client.AskAsync(
            new { question = "What is the copay for a specialist visit?", mode, top = 2, filter = new { sources = new[] { Source } } });

        ApiShapes.AssertAnswer(answer);
        var citations = answer.GetProperty("citations").EnumerateArray().ToList();
        Assert.InRange(citations.Count, 1, 2);
        Assert.All(citations, c => Assert.Equal(Source, c.GetProperty("source").GetString()));
    }

    private static double Share(int count, int total) => (double)count / total;
}
