using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

public sealed class HeadingPathTests
{
    [Fact]
    public void Enter_DeeperHeading_IsAddedUnderTheCurrentOnes()
    {
        var path = HeadingPath.Enter(HeadingPath.Enter(null, "# Plan"), "### Vision");

        Assert.Equal("Plan > Vision", path!.Text);
        Assert.Equal(3, path.Level);
    }

    [Theory]
    [InlineData("## Costs", "Plan > Costs")]
    [InlineData("### Dental", "Plan > Benefits > Dental")]
    [InlineData("# Appendix", "Appendix")]
    public void Enter_HeadingOfTheSameOrAHigherLevel_ReplacesTheHeadingsFromItsLevelDown(string heading, string expected)
    {
        var path = HeadingPath.Enter(null, "# Plan");
        path = HeadingPath.Enter(path, "## Benefits");
        path = HeadingPath.Enter(path, "### Vision");

        Assert.Equal(expected, HeadingPath.Enter(path, heading)!.Text);
    }

    [Theory]
    [InlineData("## Costs ##", "Costs")]
    [InlineData("#### Responsibilities:", "Responsibilities")]
    [InlineData("  #   Spaced   title  ", "Spaced   title")]
    public void Enter_TitleIsTheTextWithoutItsMarks(string heading, string title)
    {
        Assert.Equal(title, HeadingPath.Enter(null, heading)!.Title);
    }

    [Theory]
    [InlineData("not a heading")]
    [InlineData("#")]
    [InlineData("####### seven")]
    public void Enter_LineWithoutATitleOrLevel_KeepsTheCurrentPath(string line)
    {
        var current = HeadingPath.Enter(null, "# Plan");

        Assert.Same(current, HeadingPath.Enter(current, line));
    }

    [Fact]
    public void Enter_VeryLongTitle_IsCutAtAWordAndMarked()
    {
        var title = HeadingPath.Enter(null, "# " + string.Join(' ', Enumerable.Repeat("word", 100)))!.Title;

        Assert.InRange(title.Length, 100, HeadingPath.MaxTitleLength + 1);
        Assert.EndsWith("word…", title, StringComparison.Ordinal);
    }
}
