using Ragtune.Cli.CommandLine;
using Spectre.Console;

return await RagtuneCommandLine.RunAsync(args, AnsiConsole.Console);
