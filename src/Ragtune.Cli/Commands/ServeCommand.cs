using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Http;
using Ragtune.Embedded.Files;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary><c>ragtune serve [--docs DIR] [--data DIR] [--urls URL]</c>: the HTTP API over a watched documents folder.</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:7071";

    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var docs = new Option<DirectoryInfo>("--docs")
        {
            Description = "Folder of documents to ingest and watch",
            DefaultValueFactory = _ => new DirectoryInfo("samples"),
        };
        var data = CommonOptions.Data();
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on (the port Azure Functions uses locally by default)",
            DefaultValueFactory = _ => DefaultUrls,
        };
        var command = new Command("serve", "Serve the HTTP API, ingest and watch the documents folder") { docs, data, urls };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new ServeSettings(
                new CliSettings(parseResult.GetRequiredValue(data), configurationArgs),
                parseResult.GetRequiredValue(docs),
                parseResult.GetRequiredValue(urls));
            await using var app = ServeHost.Build(settings);

            // The server does not start on a database it cannot use: the command line prints the one-line reason.
            await CliHost.OpenStoreAsync(app.Services, cancellationToken);
            await app.StartAsync(cancellationToken);
            WriteBanner(console, app.Addresses()[0], settings);
            await app.Services.GetRequiredService<DocumentFolderWatcher>().FirstSynchronization.WaitAsync(cancellationToken);
            console.MarkupLine("[green]Documents ingested.[/] Ask away (Ctrl+C stops the server).");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteBanner(IAnsiConsole console, Uri address, ServeSettings settings)
    {
        var baseUrl = address.ToString().TrimEnd('/');
        // Long lines go straight to the output so that a narrow or redirected console does not wrap the URLs.
        var output = console.Profile.Out.Writer;
        output.WriteLine($"Ragtune is serving {baseUrl} (documents: {settings.Documents.FullName}, data: {settings.Cli.DataDirectory.FullName})");
        output.WriteLine($"OpenAPI: {baseUrl}/openapi/v1.json   Health: {baseUrl}/api/health   Documents: {baseUrl}/api/documents");
        output.WriteLine();
        output.WriteLine($"Chat page: {baseUrl}/   (ask, read the sources, rate the answers, watch the datasets grow)");
        output.WriteLine();
        output.WriteLine("Or try:");
        output.WriteLine(
            $"  curl -s {baseUrl}/api/ask -H 'Content-Type: application/json' -d '{{\"question\": \"How long is the battery warranty?\"}}'");
        console.WriteLine();
        console.MarkupLine("[grey]Ingesting the documents folder...[/]");
    }
}
