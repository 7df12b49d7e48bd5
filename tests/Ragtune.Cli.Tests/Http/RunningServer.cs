using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Http;
using Ragtune.Embedded.Files;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// <c>ragtune serve</c> as the command builds it (<see cref="ServeHost.Build"/>), on a free loopback port, with an
/// <see cref="HttpClient"/> for it.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app)
    {
        _app = app;
        Client = CreateClient();
    }

    /// <summary>A client with no identity: it may read public documents only.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// A client whose requests carry the <c>x-ms-client-principal</c> header of a caller in these groups, as Azure App
    /// Service authentication sets it (honoured only when the server is configured to trust it).
    /// </summary>
    public HttpClient CreateClient(params string[] groups)
    {
        var client = new HttpClient { BaseAddress = _app.Addresses()[0], Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (groups.Length > 0)
        {
            client.DefaultRequestHeaders.Add("x-ms-client-principal", PrincipalHeader(groups));
        }

        return client;
    }

    /// <summary>A client whose requests carry <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public HttpClient CreateClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The <c>x-ms-client-principal</c> value of a caller in these groups, as Azure App Service authentication sets it.</summary>
    public static string PrincipalHeader(params string[] groups) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { claims = groups.Select(g => new { typ = "groups", val = g }) }));

    /// <summary>The server's services, for what a test does beside HTTP (an export, as the schedule would run it).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Completes when the documents folder has been ingested once.</summary>
    public Task FirstSynchronization => _app.Services.GetRequiredService<DocumentFolderWatcher>().FirstSynchronization;

    /// <summary>Builds and starts the server; <paramref name="settings"/> are configuration arguments (<c>--Section:Key=value</c>).</summary>
    public static Task<RunningServer> StartAsync(string documents, string data, params string[] settings) =>
        StartAsync(documents, data, logs: null, settings);

    /// <summary>Builds and starts the server; <paramref name="logs"/>, when given, hears everything logged from the start.</summary>
    public static async Task<RunningServer> StartAsync(string documents, string data, ILoggerProvider? logs, params string[] settings)
    {
        var app = ServeHost.Build(new ServeSettings(
            new CliSettings(new DirectoryInfo(data), ["--Logging:LogLevel:Default=Warning", .. settings]),
            new DirectoryInfo(documents),
            "http://127.0.0.1:0"));
        if (logs is not null)
        {
            app.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        }

        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new RunningServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
