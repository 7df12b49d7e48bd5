using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Ragtune.Core;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Telemetry;
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

    /// <summary>The setting infra gives the app: where Application Insights takes telemetry (an address, no key).</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// The worker's telemetry, all of it through OpenTelemetry: Microsoft.Extensions.AI's GenAI telemetry around the
    /// chat and embedding clients; and, when <see cref="ConnectionStringSetting"/> is set (always in Azure), traces
    /// (Ragtune's spans, the GenAI client spans, the Functions worker's invocation spans, outgoing HTTP), metrics and
    /// logs exported to Application Insights by the Azure Monitor exporter, signed in with the process's one
    /// <see cref="TokenCredential"/> (the app's managed identity): the component accepts no key. Without the setting
    /// (tests, a local run) nothing is exported.
    /// </summary>
    /// <remarks>
    /// Logs go through OpenTelemetry too; the Application Insights worker SDK is gone: one exporter and one credential
    /// for every signal, log records that carry the trace and span of the ask or ingestion they belong to, and no
    /// second collector of the same HTTP dependencies (the classic SDK and OpenTelemetry side by side would report each
    /// call twice). <c>UseFunctionsWorkerDefaults</c> tells the host that the worker exports its own telemetry, so the
    /// host does not send the worker's logs again. The Functions host keeps its built-in Application Insights telemetry
    /// (host.json sets no <c>telemetryMode</c>: the host's OpenTelemetry mode is a preview that exports host logs
    /// Application Insights mode filters), signed in with <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>; the
    /// worker's invocation spans continue the host's trace.
    /// </remarks>
    public static IServiceCollection AddRagtuneTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRagtuneAITelemetry();
        if (string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource([.. RagtuneTelemetry.ActivitySourceNames]).AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter([.. RagtuneTelemetry.MeterNames]).AddHttpClientInstrumentation())
            .UseFunctionsWorkerDefaults()
            .UseAzureMonitorExporter();
        services.AddOptions<AzureMonitorExporterOptions>()
            .Configure<TokenCredential>((options, credential) => options.Credential = credential);
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
