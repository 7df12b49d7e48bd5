using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

public sealed class ChunkingOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndSizedForMiniLm()
    {
        var options = new ChunkingOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(256, options.MaxTokens);
        Assert.Equal(32, options.OverlapTokens);
        Assert.Equal(64, options.MinChunkTokens);
    }

    [Fact]
    public void Options_BindFromTheRagtuneChunkingSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ragtune:Chunking:MaxTokens"] = "512",
            ["Ragtune:Chunking:OverlapTokens"] = "48",
            ["Ragtune:Chunking:MinChunkTokens"] = "100",
        }).Build();

        var options = configuration.GetSection(ChunkingOptions.SectionName).Get<ChunkingOptions>()!;

        Assert.Equal((512, 48, 100), (options.MaxTokens, options.OverlapTokens, options.MinChunkTokens));
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData(256, 128, 64, "Ragtune:Chunking:OverlapTokens (128) must be less than half of MaxTokens (256).")]
    [InlineData(256, 32, 200, "Ragtune:Chunking:MinChunkTokens (200) must be less than half of MaxTokens (256).")]
    [InlineData(8, 2, 2, "MaxTokens")]
    [InlineData(256, -1, 64, "OverlapTokens")]
    public void InvalidOptions_FailValidationNamingTheSetting(int maxTokens, int overlapTokens, int minChunkTokens, string expected)
    {
        var result = Validate(new ChunkingOptions { MaxTokens = maxTokens, OverlapTokens = overlapTokens, MinChunkTokens = minChunkTokens });

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(ChunkingOptions options) =>
        new DataAnnotationValidateOptions<ChunkingOptions>(Options.DefaultName).Validate(Options.DefaultName, options);
}
