using Ragtune.Core.Answering;

namespace Ragtune.Core.Tests.Answering;

public sealed class QueryRewriterTests
{
    [Theory]
    [InlineData("And part-time staff?")]
    [InlineData("what about the frame?")]
    [InlineData("How long does it last?")]
    [InlineData("Is that also true for the fast charger?")]
    [InlineData("Which of those costs less?")]
    [InlineData("Why?")]
    [InlineData("The motor?")]
    public void IsFollowUp_QuestionThatRefersBack_IsAFollowUp(string question) =>
        Assert.True(QueryRewriter.IsFollowUp(question));

    [Theory]
    [InlineData("What is the capital of France?")]
    [InlineData("How long is the battery warranty?")]
    [InlineData("Are there any fees for returning a bike?")]
    [InlineData("Where can I get my e-bike serviced?")]
    public void IsFollowUp_StandaloneQuestion_IsNotAFollowUp(string question) =>
        Assert.False(QueryRewriter.IsFollowUp(question));
}
