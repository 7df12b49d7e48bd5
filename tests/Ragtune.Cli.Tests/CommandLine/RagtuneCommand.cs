using Ragtune.Cli.CommandLine;
using Spectre.Console;

namespace Ragtune.Cli.Tests.CommandLine;

/// <summary>Runs a <c>ragtune</c> command line in-process, as Program.cs does, with a console that records its output.</summary>
public static class RagtuneCommand
{
    public static async Task<CommandRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });

        // Wide enough that tables do not wrap file names and reasons.
        console.Profile.Width = 400;
        var exitCode = await RagtuneCommandLine.RunAsync(args, console);
        return new CommandRun(exitCode, output.ToString());
    }
}

/// <summary>How a command line ended: its exit code and everything it wrote.</summary>
public sealed record CommandRun(int ExitCode, string Output);
