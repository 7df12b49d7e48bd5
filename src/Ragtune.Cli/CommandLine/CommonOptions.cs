using System.CommandLine;

namespace Ragtune.Cli.CommandLine;

/// <summary>Options that several commands share, defined once.</summary>
internal static class CommonOptions
{
    public static Option<DirectoryInfo> Data() => new("--data")
    {
        Description = "Folder of the index, the interaction store and the default export folder",
        DefaultValueFactory = _ => new DirectoryInfo(".ragtune"),
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON (the HTTP API's shape) instead of a table",
    };
}
