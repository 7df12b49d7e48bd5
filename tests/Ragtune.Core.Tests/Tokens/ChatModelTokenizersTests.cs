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
    [InlineData("llama3.1", "o200k_base")]
    public void EncodingFor_ResolvesTheBaseModelFirst(string model, string encoding)
    {
        Assert.Equal(encoding, ChatModelTokenizers.EncodingFor(model));
    }

    [Fact]
    public void ForModel_CountsTokensWithTheRealEncoding()
    {
        Assert.Equal(2, ChatModelTokenizers.ForModel("gpt-4o").CountTokens("Hello world"));
    }
}
