using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ragtune.Core.FineTuning;
using Ragtune.Functions.FineTuning;
using Ragtune.Http;

namespace Ragtune.Functions;

/// <summary>What only the Functions app registers: the HTTP API's settings here, its own settings, and telemetry.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// The shared HTTP API (Ragtune.Http) for the HTTP functions, and the settings the triggers read through the host
    /// (<c>%...%</c>), checked at start so that a missing or wrong one is named here rather than by a function that never fires. Core
    /// checks the export schedule's form, as for <c>ragtune serve</c>; the export timer also needs one (serve exports on
    /// none when it is empty).
    /// </summary>
    public static IServiceCollection AddRagtuneFunctions(this IServiceCollection services)
    {
        // Issue 13: the app has always taken the caller's groups from x-ms-client-principal unconditionally, a known
        // defect (anyone who can reach the app may send the header). Until issue 13 makes it depend on App Service
        // Authentication, trusting it stays this app's default; Ragtune:Auth:TrustClientPrincipalHeader=false turns it off.
        services.AddOptions<AuthOptions>().Configure(options => options.TrustClientPrincipalHeader = true);
        services.AddRagtuneHttp();
        services.AddOptions<FineTuningOptions>().Validate(
            options => !string.IsNullOrWhiteSpace(options.Schedule),
            $"{ExportFineTuneDatasetFunction.ScheduleSetting} is empty: the export timer needs a schedule (such as '0 0 3 * * *', daily at 03:00 UTC).");
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
