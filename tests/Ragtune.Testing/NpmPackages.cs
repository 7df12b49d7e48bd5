using System.Diagnostics;
using System.Text.Json;

namespace Ragtune.Testing;

/// <summary>
/// The repository's pinned npm packages (<c>package.json</c>, <c>package-lock.json</c>: Azurite, and the front-end
/// clients <c>openai</c> and <c>ai</c>), installed with <c>npm ci</c> on first use when <c>node_modules</c> lacks one of
/// them at its pinned version, so no manual step is needed.
/// </summary>
public static class NpmPackages
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>The <c>node_modules</c> folder at the repository root.</summary>
    public static string Modules => Path.Combine(SharedData.RepositoryRoot, "node_modules");

    /// <summary>
    /// Runs <c>npm ci</c> once when a pinned package is missing or at another version. Test assemblies run in parallel
    /// processes, so a lock file beside <c>package.json</c> keeps two installs from writing <c>node_modules</c> at once.
    /// </summary>
    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        var root = SharedData.RepositoryRoot;
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (AreInstalled(root))
            {
                return;
            }

            await using var fileLock = await AcquireFileLockAsync(Path.Combine(root, "node_modules.install.lock"), cancellationToken);
            if (AreInstalled(root))
            {
                return;
            }

            var npm = new ProcessStartInfo("npm") { ArgumentList = { "ci", "--no-audit", "--no-fund" }, WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(npm) ?? throw new InvalidOperationException("npm did not start.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0 || !AreInstalled(root))
            {
                throw new InvalidOperationException($"npm ci failed ({process.ExitCode}): {await output}{await error}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>True when every development dependency of <c>package.json</c> is in <c>node_modules</c> at its pinned version.</summary>
    private static bool AreInstalled(string root)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "package.json")));
        foreach (var package in manifest.RootElement.GetProperty("devDependencies").EnumerateObject())
        {
            var installed = Path.Combine(root, "node_modules", package.Name, "package.json");
            if (!File.Exists(installed))
            {
                return false;
            }

            using var installedManifest = JsonDocument.Parse(File.ReadAllText(installed));
            if (installedManifest.RootElement.GetProperty("version").GetString() != package.Value.GetString())
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(10));
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
            }
        }
    }
}
