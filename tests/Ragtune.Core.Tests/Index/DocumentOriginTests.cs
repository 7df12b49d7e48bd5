using Ragtune.Core.Index;

namespace Ragtune.Core.Tests.Index;

public sealed class DocumentOriginTests
{
    public static TheoryData<string> Origins() => new()
    {
        DocumentOrigin.WatchedFolder("/srv/docs").ToText(),
        DocumentOrigin.IngestedPath("/home/me/papers with spaces").ToText(),
        DocumentOrigin.Container("documents").ToText(),
        DocumentOrigin.Unknown.ToText(),
    };

    [Theory]
    [MemberData(nameof(Origins))]
    public void Parse_ReadsWhatToTextWrote(string text)
    {
        Assert.Equal(text, DocumentOrigin.Parse(text).ToText());
    }

    [Fact]
    public void Folders_AreFullPathsWithoutTrailingSeparator_SoTheSameFolderIsTheSameOrigin()
    {
        var relative = DocumentOrigin.WatchedFolder("samples/");
        var full = DocumentOrigin.WatchedFolder(Path.Combine(Directory.GetCurrentDirectory(), "samples"));

        Assert.Equal(full, relative);
        Assert.NotEqual(DocumentOrigin.IngestedPath("samples"), relative);
        Assert.Equal("watched:" + Path.Combine(Directory.GetCurrentDirectory(), "samples"), relative.ToText());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("unknown")]
    [InlineData("watched:")]
    [InlineData(":/srv/docs")]
    [InlineData("uploaded:/srv/docs")]
    public void Parse_UnreadableText_IsUnknown_SoNoSynchronisationOwnsIt(string? text)
    {
        Assert.Equal(DocumentOrigin.Unknown, DocumentOrigin.Parse(text));
        Assert.Equal(DocumentOriginKind.Unknown, DocumentOrigin.Parse(text).Kind);
        Assert.Equal(string.Empty, DocumentOrigin.Parse(text).Location);
    }

    [Fact]
    public void ToString_SaysWhichCommandBroughtTheDocument()
    {
        Assert.Equal("serve --docs /srv/docs", DocumentOrigin.WatchedFolder("/srv/docs").ToString());
        Assert.Equal("ingest /home/me", DocumentOrigin.IngestedPath("/home/me/").ToString());
        Assert.Equal("container documents", DocumentOrigin.Container("documents").ToString());
        Assert.StartsWith("unknown", DocumentOrigin.Unknown.ToString(), StringComparison.Ordinal);
    }
}
