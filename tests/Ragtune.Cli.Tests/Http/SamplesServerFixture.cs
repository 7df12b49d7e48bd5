using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// <c>ragtune serve</c> over the repository's sample documents (<c>samples/</c>, the folder a newcomer serves by
/// default: four short files, a few seconds to ingest) with a temp data folder of its own, not watched. A test that
/// rates answers starts one of its own, so its counts start from nothing.
/// </summary>
public sealed class SamplesServerFixture : IAsyncLifetime
{
    /// <summary>Training examples a dataset needs for files: small, so that a test can cross it.</summary>
    public const int MinTrainingExamples = 2;

    private readonly TempDirectory _data = new();
    private RunningServer? _server;

    public static string Documents { get; } = Path.Combine(SharedData.RepositoryRoot, "samples");

    public RunningServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public HttpClient Client => Server.Client;

    /// <summary>The data folder (the SQLite file, and the exports under <c>datasets</c>).</summary>
    public string DataDirectory => _data.Path;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            Documents,
            _data.Path,
            "--Ragtune:Documents:Watch=false",
            $"--Ragtune:FineTuning:MinTrainingExamples={MinTrainingExamples}",
            "--Ragtune:FineTuning:ValidationPercent=0",
            "--Ragtune:Embedding:MiniLm:Sessions=1");
        await _server.FirstSynchronization.WaitAsync(TimeSpan.FromMinutes(3));
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
