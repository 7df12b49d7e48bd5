using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ragtune.OpenAI.Tests.Chat;

public sealed class ChatProviderOptionsTests
{
    /// <summary>Whether a provider exists is the registration's to say (the host may have its own), so it is checked on the options the registration builds.</summary>
    [Fact]
    public void Validate_UnknownProvider_NamesTheSettingAndTheChoices()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ragtune:Chat:Provider"] = "ollama",
                ["Ragtune:Chat:Endpoint"] = "http://localhost:11434/v1",
                ["Ragtune:Chat:Model"] = "llama3.1",
            }).Build())
            .AddRagtuneChat()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ChatProviderOptions>>().Value).Message;

        Assert.Contains("Ragtune:Chat:Provider", error, StringComparison.Ordinal);
        Assert.Contains("'openai-compatible'", error, StringComparison.Ordinal);
        Assert.Contains("'azure-openai'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    public void Validate_MissingEndpointAndModel_NamesBothSettings(string provider)
    {
        var errors = Validate(new ChatProviderOptions { Provider = provider });

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("Ragtune:Chat:Endpoint", StringComparison.Ordinal) && e.Contains(provider, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Ragtune:Chat:Model", StringComparison.Ordinal) && e.Contains(provider, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RelativeEndpoint_NamesTheEndpoint()
    {
        var errors = Validate(new ChatProviderOptions { Provider = ChatProviderOptions.OpenAICompatible, Endpoint = new Uri("v1", UriKind.Relative), Model = "llama3.1" });

        Assert.Contains("Ragtune:Chat:Endpoint", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HostProvider_NeedsNoEndpointOrModel()
    {
        Assert.Empty(Validate(new ChatProviderOptions()));
        Assert.Empty(Validate(new ChatProviderOptions { Provider = "extractive" }));
    }

    [Fact]
    public void Validate_TimeoutBelowOneSecond_IsRejected()
    {
        var errors = Validate(new ChatProviderOptions { Timeout = TimeSpan.FromMilliseconds(100) });

        Assert.Contains(nameof(ChatProviderOptions.Timeout), Assert.Single(errors), StringComparison.Ordinal);
    }

    private static List<string> Validate(ChatProviderOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }
}
