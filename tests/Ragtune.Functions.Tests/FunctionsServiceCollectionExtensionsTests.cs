using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Core;
using Ragtune.Core.FineTuning;

namespace Ragtune.Functions.Tests;

/// <summary>The export timer's schedule, checked at start by the same rule as <c>ragtune serve</c>'s, plus the timer's need of one.</summary>
public sealed class FunctionsServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("0 0 3 * * *")]
    [InlineData("0 3 * * *")]
    public void Schedule_TheTimerReads_PassesTheStartCheck(string? schedule)
    {
        using var provider = Build(schedule);

        var options = provider.GetRequiredService<IOptions<FineTuningOptions>>().Value;

        Assert.Equal(schedule ?? "0 0 3 * * *", options.Schedule);
    }

    [Theory]
    [InlineData("")]
    [InlineData("every day")]
    [InlineData("0 0 3 L * *")]
    public void Schedule_TheTimerCannotRead_FailsTheStartCheckNamingTheSetting(string schedule)
    {
        using var provider = Build(schedule);

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FineTuningOptions>>().Value);

        Assert.Contains("Ragtune:FineTuning:Schedule", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Core's services and the app's own settings, as Program.cs adds them, over a configuration with this schedule (null: unset).</summary>
    private static ServiceProvider Build(string? schedule)
    {
        var settings = new Dictionary<string, string?>();
        if (schedule is not null)
        {
            settings["Ragtune:FineTuning:Schedule"] = schedule;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddRagtuneCore();
        services.AddRagtuneFunctions();
        return services.BuildServiceProvider();
    }
}
