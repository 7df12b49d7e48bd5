using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ragtune.Infra.Tests;

/// <summary>
/// The settings test: main.bicep sets every option the Functions app requires, and nothing the code does not read.
/// What the app requires and reads comes from its own registrations (<see cref="FunctionsAppOptions"/>), not from a
/// list kept here.
/// </summary>
public sealed class AppSettingsTests
{
    [Fact]
    public void RagtuneSettings_SetEveryRequiredOption_SoTheAppStarts()
    {
        using var provider = FunctionsAppOptions.Build(Configuration(EvaluatedRagtuneSettings()));

        var failures = FunctionsAppOptions.Types().SelectMany(type => ValidationFailures(provider, type)).ToList();

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Ragtune:Chat:Endpoint", "Ragtune:Chat:Endpoint")]
    public void RagtuneSettings_WithoutARequiredOne_FailValidationNamingIt(string removed, string named)
    {
        var settings = EvaluatedRagtuneSettings().Where(setting => setting.Key != removed);
        using var provider = FunctionsAppOptions.Build(Configuration(settings));

        var failures = FunctionsAppOptions.Types().SelectMany(type => ValidationFailures(provider, type));

        Assert.Contains(failures, failure => failure.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void RagtuneSettings_AreAllReadByTheApp()
    {
        var keys = AppSettings.RagtuneSettings.Select(setting => setting.Key).ToList();
        var recorder = new ReadKeysConfigurationProvider(keys);
        using var provider = FunctionsAppOptions.Build(new ConfigurationBuilder().Add(recorder).Build());

        foreach (var type in FunctionsAppOptions.Types())
        {
            // The values are withheld, so required options fail validation here; only the keys read count.
            _ = ValidationFailures(provider, type).ToList();
        }

        var unread = keys.Except(recorder.Read, StringComparer.OrdinalIgnoreCase).ToList();
        Assert.NotEmpty(keys);
        Assert.Empty(unread);
    }

    [Fact]
    public void EverySetting_IsRagtunesOrThePlatforms()
    {
        Assert.All(AppSettings.Compiled.Keys, name => Assert.True(
            name.StartsWith("Ragtune__", StringComparison.Ordinal)
            || AppSettings.PlatformPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)),
            $"{name} is neither a Ragtune setting nor one of the platform's."));
    }

    private static IEnumerable<KeyValuePair<string, string?>> EvaluatedRagtuneSettings() =>
        AppSettings.RagtuneSettings.Select(setting => KeyValuePair.Create(setting.Key, (string?)MainTemplate.Evaluate(setting.Value)));

    private static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static IEnumerable<string> ValidationFailures(IServiceProvider provider, Type optionsType)
    {
        try
        {
            FunctionsAppOptions.Create(provider, optionsType);
            return [];
        }
        catch (OptionsValidationException exception)
        {
            return exception.Failures;
        }
    }
}
