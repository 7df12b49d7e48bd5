using System.Diagnostics;
using System.Reflection;

namespace Ragtune.Infra.Tests;

/// <summary>
/// The Bicep CLI of the NuGet package Azure.Bicep.CommandLine.linux-x64, run from the package folder that restore
/// filled (the path is compiled into this assembly). It builds and lints offline.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> ExecutablePath = new(Locate);

    public static BicepRun Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = InfraFiles.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{ExecutablePath.Value} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran longer than {Timeout}.");
        }

        return new BicepRun(process.ExitCode, output.GetAwaiter().GetResult(), errors.GetAwaiter().GetResult());
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "BicepPath").Value
            ?? throw new InvalidOperationException("The BicepPath metadata of the test assembly is empty.");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("The Bicep CLI is not where restore puts the Azure.Bicep.CommandLine.linux-x64 package.", path);
        }

        // The package holds the Linux CLI; where NuGet extracted it without its mode, it is made executable.
        if (OperatingSystem.IsLinux() && !File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }
}

/// <summary>What one run of the Bicep CLI printed, and how it ended.</summary>
internal sealed record BicepRun(int ExitCode, string Output, string Errors)
{
    /// <summary>Everything the CLI printed, for failure messages.</summary>
    public string Transcript => $"exit code {ExitCode}\n{Errors}\n{Output}";
}
