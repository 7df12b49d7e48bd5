using Ragtune.Core.Evaluation;
using Ragtune.Core.Index;
using Ragtune.Testing;

namespace Ragtune.Core.Tests.Evaluation;

public sealed class AnswerEvaluatorTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public void TokenF1_HandComputed()
    {
        // Answer tokens: battery is covered for three years (article and citation dropped): 6.
        // Reference tokens: battery covered three years or 800 cycles: 7. Shared: 4. P = 4/6, R = 4/7, F1 = 16/26.
        var f1 = AnswerEvaluator.TokenF1("The battery is covered for three years [1].", "Battery covered: three years or 800 cycles. [warranty.md#page=1]");

        Assert.Equal(16.0 / 26, f1, 12);
    }

    [Fact]
    public void TokenF1_CountsRepeatedTokensOnce()
    {
        // Answer: yes yes yes (3), reference: yes no (2); one shared. P = 1/3, R = 1/2, F1 = 0.4.
        Assert.Equal(0.4, AnswerEvaluator.TokenF1("yes, yes, yes", "Yes; no."), 12);
        Assert.Equal(0, AnswerEvaluator.TokenF1("nothing shared", "entirely different"));
        Assert.Equal(1, AnswerEvaluator.TokenF1("The", "a an"));
    }

    [Fact]
    public async Task ReadGroundTruth_ExtractsCitedPages()
    {
        var path = _folder.WriteFile("truth.jsonl", """
            {"question": "What is covered?", "truth": "Eye exams [Benefit_Options.pdf#page=3] and more [Benefit_Options.pdf#page=3][notes.md#page=1]"}

            {"question": "Who?", "truth": "Nobody."}
            """);

        var questions = await AnswerEvaluator.ReadGroundTruthAsync(path);

        Assert.Equal(2, questions.Count);
        Assert.Equal([new CitedPage("Benefit_Options.pdf", 3), new CitedPage("notes.md", 1)], questions[0].Cited);
        Assert.Empty(questions[1].Cited);
    }

    [Fact]
    public async Task ReadGroundTruth_LineWithoutTruth_NamesTheLine()
    {
        var path = _folder.WriteFile("truth.jsonl", "{\"question\": \"q\", \"truth\": \"t\"}\n{\"question\": \"q\"}\n");

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => AnswerEvaluator.ReadGroundTruthAsync(path));

        Assert.Contains("line 2", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 3, 3, true)]
    [InlineData(2, 3, 3, true)]
    [InlineData(2, 4, 3, true)]
    [InlineData(2, 2, 3, false)]
    [InlineData(4, 5, 3, false)]
    [InlineData(2, 0, 2, true)]
    [InlineData(2, 0, 3, false)]
    public void CitedPage_IsOnAChunk_FromThePageItStartsOnToTheOneItEndsOn(int page, int lastPage, int cited, bool expected)
    {
        var chunk = new IndexChunk("c", "d", 0, "handbook/Benefit_Options.pdf", page, "text", "hash", [], new float[] { 1f }, "", lastPage);

        Assert.Equal(expected, new CitedPage("benefit_options.pdf", cited).IsOn(chunk));
        Assert.Equal(page == cited, new CitedPage("benefit_options.pdf", cited).IsStartOf(chunk));
        Assert.False(new CitedPage("other.pdf", cited).IsOn(chunk));
    }

    public void Dispose() => _folder.Dispose();
}
