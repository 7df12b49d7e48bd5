using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;
using Ragtune.Functions.FineTuning;
using Ragtune.Http;
using Ragtune.Http.Auth;

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
        services.AddRagtuneHttp();
        services.AddOptions<FineTuningOptions>().Validate(
            options => !string.IsNullOrWhiteSpace(options.Schedule),
            $"{ExportFineTuneDatasetFunction.ScheduleSetting} is empty: the export timer needs a schedule (such as '0 0 3 * * *', daily at 03:00 UTC).");
        services.AddSingleton<IValidateOptions<AuthOptions>, ClientPrincipalTrustValidation>();
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

/// <summary>
/// Fails start-up when <c>Ragtune:Auth:TrustClientPrincipalHeader</c> is on but App Service Authentication is not: only
/// the platform's authentication sets <c>x-ms-client-principal</c> and strips a caller's own, and the platform says it is
/// on with <c>WEBSITE_AUTH_ENABLED=True</c>. Without it anyone could send the header and claim any group.
/// </summary>
internal sealed class ClientPrincipalTrustValidation(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public const string PlatformSetting = "WEBSITE_AUTH_ENABLED";

    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        !options.TrustClientPrincipalHeader || bool.TryParse(configuration[PlatformSetting], out var enabled) && enabled
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{AuthOptions.SectionName}:TrustClientPrincipalHeader is true, but App Service Authentication is off ({PlatformSetting} is not True): " +
                "anyone could send x-ms-client-principal. Turn on App Service Authentication, or set the setting to false and use bearer tokens (Ragtune:Auth:Authority and Audience).");
}
