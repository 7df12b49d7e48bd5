using Ragtune.Core.Answering;

namespace Ragtune.Core.Tests.Answering;

public sealed class ChatModelProfileTests
{
    [Theory]
    [InlineData("gpt-5.4-mini", ChatModelFamily.Reasoning)]
    [InlineData("gpt-5-mini", ChatModelFamily.Reasoning)]
    [InlineData("GPT-5", ChatModelFamily.Reasoning)]
    [InlineData("o4-mini", ChatModelFamily.Reasoning)]
    [InlineData("o3", ChatModelFamily.Reasoning)]
    [InlineData("codex-mini", ChatModelFamily.Reasoning)]
    [InlineData("gpt-5-mini-2025-08-07.ft-0123abcd", ChatModelFamily.Reasoning)]
    [InlineData("gpt-5-chat", ChatModelFamily.Standard)]
    [InlineData("gpt-4.1-mini", ChatModelFamily.Standard)]
    [InlineData("gpt-4o", ChatModelFamily.Standard)]
    [InlineData("ft:gpt-4.1-mini-2025-04-14:org::abc", ChatModelFamily.Standard)]
    [InlineData("llama3.1", ChatModelFamily.Standard)]
    [InlineData("chat", ChatModelFamily.Standard)]
    public void FamilyOf_ModelName_IsTheModelsFamily(string model, ChatModelFamily expected) =>
        Assert.Equal(expected, ChatModelProfile.FamilyOf(model));

    [Fact]
    public void ForModel_WithAFamily_TakesItOverTheName()
    {
        // An Azure deployment named "chat" that serves gpt-5.4-mini: its name says nothing of its family.
        var profile = ChatModelProfile.ForModel("chat", family: ChatModelFamily.Reasoning);

        Assert.True(profile.IsReasoning);
        Assert.Equal("chat", profile.ModelId);
    }
}
