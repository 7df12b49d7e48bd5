using System.Diagnostics;
using Ragtune.Testing;

namespace Ragtune.Infra.Tests;

/// <summary>
/// Runs an azd hook (POSIX sh) as azd would, with its environment, but with stand-ins for <c>az</c>, <c>azd</c> and
/// <c>curl</c> first on the PATH (<c>FakeCli/</c>): they record every call and answer from a state folder the test
/// sets up, so a hook's behaviour towards Azure is seen without Azure.
/// </summary>
internal sealed class FakeCli : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);
    private readonly TempDirectory _directory = new();

    public FakeCli()
    {
        Directory.CreateDirectory(StatePath);
        Directory.CreateDirectory(_directory.Combine("bin"));
        foreach (var tool in Directory.EnumerateFiles(Path.Combine(SharedData.RepositoryRoot, "tests", "Ragtune.Infra.Tests", "FakeCli")))
        {
            var copy = _directory.Combine("bin", Path.GetFileName(tool));
            File.Copy(tool, copy);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(copy, File.GetUnixFileMode(copy) | UnixFileMode.UserExecute);
            }
        }

        Set("tenant", "tenant-0001");
        Set("subscription", "subscription-0001");
    }

    public string StatePath => _directory.Combine("state");

    /// <summary>Every call of az, azd and curl so far, one line each (<c>az functionapp keys list ...</c>).</summary>
    public IReadOnlyList<string> Calls => File.Exists(Path.Combine(StatePath, "calls")) ? File.ReadAllLines(Path.Combine(StatePath, "calls")) : [];

    /// <summary>Writes a state file of the fakes (see FakeCli/az for what each means).</summary>
    public void Set(string name, string value)
    {
        var path = Path.Combine(StatePath, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, value + "\n");
    }

    public string? Get(string name) => File.Exists(Path.Combine(StatePath, name)) ? File.ReadAllText(Path.Combine(StatePath, name)).TrimEnd('\n') : null;

    public void Remove(string name) => File.Delete(Path.Combine(StatePath, name));

    public void ClearCalls() => File.Delete(Path.Combine(StatePath, "calls"));

    /// <summary>Runs <c>infra/hooks/SCRIPT</c> with sh, the azd environment given, and no waits between tries.</summary>
    public HookResult Run(string script, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("sh", [Path.Combine(InfraFiles.Root, "hooks", script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = SharedData.RepositoryRoot,
        };
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("AZURE_", StringComparison.Ordinal) || name.StartsWith("RAGTUNE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["PATH"] = $"{_directory.Combine("bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE_CLI_STATE"] = StatePath;
        start.Environment["RAGTUNE_HOOK_RETRY_SECONDS"] = "0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran longer than {Deadline}; calls so far:\n{string.Join('\n', Calls)}");
        }

        return new HookResult(process.ExitCode, output.GetAwaiter().GetResult(), errors.GetAwaiter().GetResult(), Calls);
    }

    public void Dispose() => _directory.Dispose();
}

/// <summary>How a hook ended, what it printed, and every call it made to the fakes.</summary>
internal sealed record HookResult(int ExitCode, string Output, string Errors, IReadOnlyList<string> Calls)
{
    public int CountCalls(string prefix) => Calls.Count(call => call.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Everything the hook printed and called, for failure messages.</summary>
    public string Transcript => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}\n--- calls\n{string.Join('\n', Calls)}";
}
