using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

public sealed class SentenceSplitterTests
{
    [Theory]
    [InlineData("One sentence only", "One sentence only")]
    [InlineData("It works! Does it? Yes.", "It works!|Does it?|Yes.")]
    [InlineData("Dr. Smith met Mr. Jones. They talked.", "Dr. Smith met Mr. Jones.|They talked.")]
    [InlineData("Use a tool, e.g. Git or i.e. Mercurial. Then commit.", "Use a tool, e.g. Git or i.e. Mercurial.|Then commit.")]
    [InlineData("He moved to the U.S. Army base. It was cold.", "He moved to the U.S. Army base.|It was cold.")]
    [InlineData("The dose was 3.5 mg. The effect was 0.016 lower.", "The dose was 3.5 mg.|The effect was 0.016 lower.")]
    [InlineData("See Fig. 3 and No. 5 for details. Done.", "See Fig. 3 and No. 5 for details.|Done.")]
    [InlineData("Smith et al. (2005) found it. Others did not.", "Smith et al. (2005) found it.|Others did not.")]
    [InlineData("Written by J. R. Tolkien. Read it.", "Written by J. R. Tolkien.|Read it.")]
    [InlineData("He said \"stop.\" Then he left.", "He said \"stop.\"|Then he left.")]
    [InlineData("Version two is out. 3 people came.", "Version two is out.|3 people came.")]
    [InlineData("The value was low. the next word is lower case.", "The value was low. the next word is lower case.")]
    [InlineData("Wait... What happened?", "Wait...|What happened?")]
    [InlineData("First line ends.\nSecond line starts.", "First line ends.|Second line starts.")]
    [InlineData("日本語です。次の文です。", "日本語です。|次の文です。")]
    public void Split_FindsSentenceEndsButNotAbbreviationsInitialsOrDecimals(string text, string expected)
    {
        var sentences = new List<SentenceSpan>();

        SentenceSplitter.Split(text, sentences);

        Assert.Equal(expected, string.Join('|', sentences.Select(sentence => text[sentence.Start..sentence.End])));
    }

    [Fact]
    public void Split_RecordsTheWhitespaceBeforeEachSentence()
    {
        var sentences = new List<SentenceSpan>();

        SentenceSplitter.Split("One. Two.\nThree。Four.", sentences);

        Assert.Equal(["", " ", "\n", ""], sentences.Select(sentence => sentence.Separator));
    }
}
