using System.Diagnostics;
using Microsoft.Playwright;

namespace Ragtune.Cli.Tests.Browser;

/// <summary>
/// Debian's Chromium, the browser the chat page is tested in. Playwright's own browser download cannot work on machines
/// without internet, so the tests install the distribution's package through apt (as root, or through <c>sudo -n</c>)
/// the first time they need it, and launch it headless by its path.
/// </summary>
internal static class DebianChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly Lazy<Task> Installation = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Installs the <c>chromium</c> package unless <see cref="ExecutablePath"/> is there already.</summary>
    public static Task EnsureInstalledAsync(CancellationToken cancellationToken = default) => Installation.Value.WaitAsync(cancellationToken);

    /// <summary>Starts the installed Chromium headless, with nothing that would reach out to the network by itself.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, CancellationToken cancellationToken = default)
    {
        await EnsureInstalledAsync(cancellationToken);
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    private static async Task InstallAsync()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }

        // Waits for the package manager's lock rather than failing while another install runs.
        string[] wait = ["-o", "DPkg::Lock::Timeout=600"];
        await RunAsync(["apt-get", .. wait, "update", "-q"]);
        await RunAsync(["apt-get", .. wait, "install", "-y", "-q", "chromium"]);
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"apt-get installed chromium, but there is no {ExecutablePath}.");
        }
    }

    private static async Task RunAsync(string[] command)
    {
        var start = new ProcessStartInfo(Environment.IsPrivilegedProcess ? command[0] : "sudo")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in Environment.IsPrivilegedProcess ? command[1..] : ["-n", .. command])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{string.Join(' ', command)}' exited with {process.ExitCode}; Chromium is needed for the browser tests.\n{await output}\n{await error}");
        }
    }
}
