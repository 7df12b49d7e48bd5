using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Ragtune.Testing;

/// <summary>
/// A real Azurite (Blob, Queue and Table storage emulator) from the repository's pinned npm package, started on free
/// loopback ports with in-memory persistence and stopped with the fixture. Installs the pinned packages first when
/// <c>node_modules</c> lacks them (<see cref="NpmPackages"/>), so no manual step is needed. Share one per test assembly
/// (a collection fixture), and give each test class its own containers and tables.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public int TablePort { get; private set; }

    /// <summary>The connection string of the development account on this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>A name no other test uses: letters and digits, starting with a letter (valid for tables and containers).</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 20, 60)].ToLowerInvariant();

    public async Task InitializeAsync()
    {
        await NpmPackages.EnsureInstalledAsync();
        var script = Path.Combine(NpmPackages.Modules, "azurite", "dist", "src", "azurite.js");

        BlobPort = FreePort();
        QueuePort = FreePort();
        TablePort = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}", "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}", "--inMemoryPersistence",
                "--skipApiVersionCheck", "--silent",
            },
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(StartTimeout);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            await WaitForPortAsync(port, deadline.Token);
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private async Task WaitForPortAsync(int port, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}: {Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"Azurite did not listen on port {port} within {StartTimeout.TotalSeconds} s: {Output()}");
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
