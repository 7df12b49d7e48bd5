using System.ComponentModel.DataAnnotations;
using Ragtune.OpenAI.FineTuning;

namespace Ragtune.OpenAI.Tests.FineTuning;

public sealed class FineTuningServiceOptionsTests
{
    [Fact]
    public void NoProvider_IsValid_AndNotConfigured()
    {
        var options = new FineTuningServiceOptions();

        Assert.Empty(Validate(options));
        Assert.False(options.IsConfigured);
    }

    [Theory]
    [InlineData("https://api.openai.com/v1", true)]
    [InlineData("http://localhost:8000/v1/", true)]
    [InlineData("https://api.openai.com", false)]
    public void OpenAICompatible_NeedsABaseUrlEndingInV1(string endpoint, bool valid)
    {
        var errors = Validate(new FineTuningServiceOptions { Provider = FineTuningServiceOptions.OpenAICompatible, Endpoint = new Uri(endpoint) });

        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Contains("Ragtune:FineTuning:Endpoint", e, StringComparison.Ordinal));
    }

    [Fact]
    public void AzureOpenAI_NamesTheResourceManagerSettingsItLacks()
    {
        var errors = Validate(new FineTuningServiceOptions { Provider = FineTuningServiceOptions.AzureOpenAI, Endpoint = new Uri("https://aoai.openai.azure.com") });

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("Ragtune:FineTuning:Azure:SubscriptionId", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ragtune:FineTuning:Azure:Account", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownProvider_IsNamed()
    {
        var error = Assert.Single(Validate(new FineTuningServiceOptions { Provider = "huggingface" }));

        Assert.Contains("Ragtune:FineTuning:Provider is 'huggingface'", error, StringComparison.Ordinal);
    }

    private static List<string> Validate(FineTuningServiceOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }
}
