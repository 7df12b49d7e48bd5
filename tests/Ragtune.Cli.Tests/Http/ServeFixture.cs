using System.Diagnostics;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// One <c>ragtune serve</c> over the Contoso documents (read where they are, in the shared data folder) with a temp
/// data folder, shared by every test of the <see cref="ServeCollection"/>. Ingesting the whole set (about 560 chunks)
/// takes one to two minutes on two busy cores, so it happens once.
/// </summary>
public sealed class ServeFixture : IAsyncLifetime
{
    /// <summary>The origin the server is configured to allow (CORS).</summary>
    public const string AllowedOrigin = "https://app.example";

    private readonly TempDirectory _data = new();
    private RunningServer? _server;

    public HttpClient Client => Server.Client;

    /// <summary>The documents folder the server ingested.</summary>
    public string Documents { get; } = SharedData.ContosoDocuments;

    /// <summary>How long the first ingestion took.</summary>
    public TimeSpan IngestionTime { get; private set; }

    private RunningServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        _server = await RunningServer.StartAsync(Documents, _data.Path, $"--Ragtune:Cors:AllowedOrigins:0={AllowedOrigin}");
        await _server.FirstSynchronization;
        IngestionTime = stopwatch.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }
}

/// <summary>The test classes that share one server over the Contoso documents.</summary>
[CollectionDefinition(Name)]
public sealed class ServeCollection : ICollectionFixture<ServeFixture>
{
    public const string Name = "ragtune serve over the Contoso documents";
}
