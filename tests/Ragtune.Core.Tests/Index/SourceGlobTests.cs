using Ragtune.Core.Index;

namespace Ragtune.Core.Tests.Index;

public sealed class SourceGlobTests
{
    [Theory]
    [InlineData("handbook/*.pdf", "handbook/benefits.pdf", true)]
    [InlineData("handbook/*.pdf", "handbook/2024/benefits.pdf", false)]
    [InlineData("handbook/*.pdf", "handbook/benefits.docx", false)]
    [InlineData("*.md", "readme.md", true)]
    [InlineData("*.md", "docs/readme.md", false)]
    [InlineData("**/*.md", "readme.md", true)]
    [InlineData("**/*.md", "docs/a/b/readme.md", true)]
    [InlineData("handbook/**/*.pdf", "handbook/benefits.pdf", true)]
    [InlineData("handbook/**/*.pdf", "handbook/2024/q1/benefits.pdf", true)]
    [InlineData("handbook/**/*.pdf", "other/handbook/benefits.pdf", false)]
    [InlineData("handbook/**", "handbook/2024/benefits.pdf", true)]
    [InlineData("handbook/**", "handbook", false)]
    [InlineData("hand**.pdf", "handbook/2024/benefits.pdf", true)]
    [InlineData("**", "any/thing/at/all.txt", true)]
    [InlineData("***/*.md", "docs/readme.md", true)]
    [InlineData("report-?.txt", "report-1.txt", true)]
    [InlineData("report-?.txt", "report-10.txt", false)]
    [InlineData("a?b", "a/b", false)]
    [InlineData("policies/leave.md", "policies/leave.md", true)]
    [InlineData("policies/leave.md", "policies/Leave.md", false)]
    [InlineData("notes (v1)+[draft].txt", "notes (v1)+[draft].txt", true)]
    [InlineData("notes.txt", "notesXtxt", false)]
    [InlineData("./docs/*.md", "docs/a.md", true)]
    [InlineData("docs\\*.md", "docs/a.md", true)]
    [InlineData("docs/*.md", "./docs/a.md", true)]
    public void IsMatch_FollowsGlobSemantics(string pattern, string source, bool expected)
    {
        Assert.Equal(expected, SourceGlob.IsMatch(pattern, source));
    }

    [Fact]
    public void CreateMatcher_NoPatterns_AllowsEverySource()
    {
        var matcher = SourceGlob.CreateMatcher([]);

        Assert.True(matcher("anything/at/all.pdf"));
    }

    [Fact]
    public void CreateMatcher_SeveralPatterns_AllowsAnyMatch()
    {
        var matcher = SourceGlob.CreateMatcher(["handbook/*.pdf", "**/*.md"]);

        Assert.True(matcher("handbook/benefits.pdf"));
        Assert.True(matcher("deep/notes/readme.md"));
        Assert.False(matcher("handbook/benefits.docx"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void CreateMatcher_BlankPattern_Throws(string pattern)
    {
        Assert.Throws<ArgumentException>(() => SourceGlob.CreateMatcher([pattern]));
    }

    [Fact]
    public void CreateMatcher_OverlongPattern_Throws()
    {
        Assert.Throws<ArgumentException>(() => SourceGlob.CreateMatcher([new string('a', SourceGlob.MaxPatternLength + 1)]));
    }

    [Fact]
    public void IsMatch_ManyStars_StaysFast()
    {
        // A backtracking matcher takes exponential time here; ours is linear in the source.
        var pattern = string.Concat(Enumerable.Repeat("*a", 40)) + "b";
        var source = new string('a', 2000);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(SourceGlob.IsMatch(pattern, source));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public void ToRegexPattern_TranslatesEachWildcard()
    {
        Assert.Equal("^(?:.*/)?[^/]*\\.md$", SourceGlob.ToRegexPattern("**/*.md"));
        Assert.Equal("^a/.*$", SourceGlob.ToRegexPattern("a/**"));
        Assert.Equal("^r-[^/]\\.txt$", SourceGlob.ToRegexPattern("r-?.txt"));
    }
}
