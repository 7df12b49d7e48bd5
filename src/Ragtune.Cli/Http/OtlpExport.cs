using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Ragtune.Core.Telemetry;

namespace Ragtune.Cli.Http;

/// <summary>
/// <c>ragtune serve</c>'s telemetry export: OpenTelemetry over OTLP, only when the standard
/// <see cref="EndpointSetting"/> is set (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c> and
/// the SDK's other <c>OTEL_*</c> settings, from the environment or any configuration source). Without it no
/// OpenTelemetry SDK is registered: nothing listens to the spans, nothing is exported, nothing slows down.
/// </summary>
public static class OtlpExport
{
    /// <summary>The collector's base address (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> are added for http/protobuf).</summary>
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> gives none.</summary>
    public const string DefaultServiceName = "ragtune";

    /// <summary>
    /// Traces (Ragtune's spans, the GenAI client spans, incoming requests, outgoing HTTP), metrics (Ragtune's, the
    /// GenAI client's, ASP.NET Core's and HttpClient's) and logs, exported over OTLP when <see cref="EndpointSetting"/> is set.
    /// </summary>
    public static IHostApplicationBuilder AddRagtuneOtlpExport(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointSetting]))
        {
            return builder;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"];
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(string.IsNullOrWhiteSpace(serviceName) ? DefaultServiceName : serviceName))
            .WithTracing(tracing => tracing
                .AddSource([.. RagtuneTelemetry.ActivitySourceNames])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter([.. RagtuneTelemetry.MeterNames])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging()
            .UseOtlpExporter();
        return builder;
    }
}
