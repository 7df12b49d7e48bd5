using System.Diagnostics;
using System.Text.Json;

namespace Ragtune.Benchmarks;

/// <summary>
/// Runs this benchmark program again, as a child process, for a measurement that needs a process of its own (peak
/// resident memory is per process, and memory a process has used is not all given back). The child writes its result
/// as JSON on the last line of its standard output; its standard error passes through.
/// </summary>
internal static class ChildProcess
{
    public static async Task<T> RunAsync<T>(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as "dotnet Ragtune.Benchmarks.dll": the host needs the program's path.
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || last is null)
        {
            throw new InvalidOperationException($"The child process ({string.Join(' ', args)}) failed with exit code {process.ExitCode}: {output}");
        }

        return JsonSerializer.Deserialize<T>(last) ?? throw new InvalidOperationException($"The child process wrote no result: {output}");
    }

    /// <summary>Writes a child's result for <see cref="RunAsync{T}"/>.</summary>
    public static int Reply<T>(T result)
    {
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
