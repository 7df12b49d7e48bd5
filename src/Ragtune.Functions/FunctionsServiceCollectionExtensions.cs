using System.ComponentModel.DataAnnotations;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ragtune.Core;
using Ragtune.Functions.FineTuning;

namespace Ragtune.Functions;

/// <summary>What only the Functions app registers: its own settings, and telemetry.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// The settings the triggers read through the host (<c>%...%</c>), checked at start so that a missing or wrong one
    /// is named here rather than by a function that never fires.
    /// </summary>
    public static IServiceCollection AddRagtuneFunctions(this IServiceCollection services)
    {
        services.AddValidatedOptions<FunctionsScheduleOptions>(FunctionsScheduleOptions.SectionName);
        return services;
    }

    /// <summary>
    /// Application Insights for the worker's own logs and dependencies. The SDK adds a rule that keeps only Warning and
    /// above; it is removed, so Information (ingestion results, exports) reaches Application Insights and host.json's
    /// log levels decide.
    /// </summary>
    public static IServiceCollection AddRagtuneTelemetry(this IServiceCollection services)
    {
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
        services.Configure<LoggerFilterOptions>(options =>
        {
            var defaultRule = options.Rules.FirstOrDefault(rule =>
                rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
            if (defaultRule is not null)
            {
                options.Rules.Remove(defaultRule);
            }
        });
        return services;
    }
}

/// <summary>The schedules of the timer functions (section <c>Ragtune:FineTuning</c>).</summary>
public sealed class FunctionsScheduleOptions : IValidatableObject
{
    public const string SectionName = "Ragtune:FineTuning";

    /// <summary>
    /// When <c>ExportFineTuneDataset</c> runs: NCRONTAB, six fields with seconds first, in UTC (<c>0 0 3 * * *</c> is daily
    /// at 03:00). Read by the host from app setting <c>Ragtune__FineTuning__ExportSchedule</c>.
    /// </summary>
    public string? ExportSchedule { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var name = ExportFineTuneDatasetFunction.ScheduleSetting;
        if (string.IsNullOrWhiteSpace(ExportSchedule))
        {
            yield return new ValidationResult($"{name} (the export timer's schedule, such as '0 0 3 * * *') is required.", [nameof(ExportSchedule)]);
        }
        else if (!CronExpression.TryParse(ExportSchedule, CronFormat.IncludeSeconds, out _))
        {
            yield return new ValidationResult($"{name} '{ExportSchedule}' is not a six-field NCRONTAB expression (seconds first).", [nameof(ExportSchedule)]);
        }
    }
}
