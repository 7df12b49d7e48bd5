using Ragtune.Core.Tokens;

namespace Ragtune.Core.Tests.Tokens;

public sealed class ChatModelTokenizersTests
{
    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini", "o200k_base")]
    [InlineData("gpt-4.1-mini", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-35-turbo", "cl100k_base")]
    [InlineData("gpt-3.5-turbo-0125", "cl100k_base")]
    [InlineData("ft:gpt-4.1-mini-2025-04-14:contoso::abc123", "o200k_base")]
    [InlineData("ft:gpt-35-turbo-0613:contoso::abc123", "cl100k_base")]
    [InlineData("gpt-5-mini", "o200k_base")]
    [InlineData("gpt-5.4-mini", "o200k_base")]
    [InlineData("gpt-5.6-sol", "o200k_base")]
    [InlineData("gpt-4.1-mini-2025-04-14.ft-0123456789abcdef", "o200k_base")]
    [InlineData("gpt-35-turbo-0125.ft-0123456789abcdef", "cl100k_base")]
    [InlineData("llama3.1", "o200k_base")]
    public void EncodingFor_ResolvesTheBaseModelFirst(string model, string encoding)
    {
        Assert.Equal(encoding, ChatModelTokenizers.EncodingFor(model));
    }

    [Theory]
    [InlineData("ft:gpt-4.1-mini-2025-04-14:contoso::abc123", "gpt-4.1-mini-2025-04-14")]
    [InlineData("gpt-4.1-mini-2025-04-14.ft-0123456789abcdef", "gpt-4.1-mini-2025-04-14")]
    [InlineData("gpt-4.1-mini", "gpt-4.1-mini")]
    public void BaseModel_OfAFineTunedName_IsTheModelItWasTunedFrom_InOpenAIsAndAzuresForm(string model, string baseModel)
    {
        Assert.Equal(baseModel, ChatModelTokenizers.BaseModel(model));
    }

    [Fact]
    public void ForModel_CountsTokensWithTheRealEncoding()
    {
        Assert.Equal(2, ChatModelTokenizers.ForModel("gpt-4o").CountTokens("Hello world"));
    }
}
