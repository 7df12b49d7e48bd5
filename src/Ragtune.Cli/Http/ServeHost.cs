using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Feedback;
using Ragtune.Cli.FineTuning;
using Ragtune.Core.Api;
using Ragtune.Http;
using Ragtune.Embedded.Files;

namespace Ragtune.Cli.Http;

/// <summary>
/// The composition root of <c>ragtune serve</c>: the command line's services, the shared HTTP API (Ragtune.Http) with Problem Details,
/// CORS and OpenAPI, the serve-only dataset endpoints, the chat page at <c>/</c>, the documents folder watcher, the
/// fine-tune export schedule, the tuning runs' schedule, and OpenTelemetry export over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class ServeHost
{
    /// <summary>Builds the web application (not yet started). Tests build it on port 0 with a temp data folder.</summary>
    public static WebApplication Build(ServeSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. settings.Cli.ConfigurationArgs],
        });
        CliHost.Configure(builder, settings.Cli);
        builder.Configuration.AddInMemoryCollection([new(DocumentFolderOptions.SectionName + ":Root", settings.Documents.FullName)]);
        builder.WebHost.UseUrls(settings.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.AddRagtuneOtlpExport();

        var limits = builder.Configuration.GetSection(ApiLimitsOptions.SectionName).Get<ApiLimitsOptions>() ?? new ApiLimitsOptions();
        // The API answers 413 past its own limit (at most 16 MB). Kestrel's limit stays well above it so that Kestrel can
        // read and drop the rest of a refused body and keep the connection: one it cannot drain, it drops after the
        // response, and the client's next request on that connection fails.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Math.Max(32L * 1024 * 1024, 2L * limits.MaxBodyBytes));

        builder.Services.AddOptions<CorsOptions>().BindConfiguration(CorsOptions.SectionName);
        builder.Services.AddRagtuneHttp();
        builder.Services.AddRagtuneProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddCors();
        builder.Services.AddSingleton<DocumentFolderWatcher>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<DocumentFolderWatcher>());
        builder.Services.AddHostedService<ExportSchedule>();
        builder.Services.AddHostedService<RetentionSchedule>();
        builder.Services.AddHostedService<TuningSchedule>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseChatPage();
        var cors = app.Services.GetRequiredService<IOptions<CorsOptions>>().Value;
        // Any request header from the allowed origins: front-end clients send their own (the openai library's x-stainless-*).
        app.UseCors(policy => policy.WithOrigins([.. cors.AllowedOrigins]).WithMethods("GET", "POST").AllowAnyHeader());
        app.MapOpenApi();
        app.MapRagtuneApi();
        app.MapDatasetsApi();
        return app;
    }

    /// <summary>The addresses the server listens on, once started.</summary>
    public static IReadOnlyList<Uri> Addresses(this WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a))];
}

/// <summary>The options of <c>ragtune serve</c>.</summary>
/// <param name="Cli">The data folder and configuration arguments.</param>
/// <param name="Documents">The <c>--docs</c> folder.</param>
/// <param name="Urls">The <c>--urls</c> to listen on.</param>
public sealed record ServeSettings(CliSettings Cli, DirectoryInfo Documents, string Urls);
