using System.Globalization;

namespace Ragtune.Benchmarks;

/// <summary>A benchmark's options: <c>--name value</c> pairs and flags, with defaults.</summary>
internal sealed class Arguments(string[] args)
{
    public int Int(string name, int fallback) =>
        Value(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => Value(name) ?? fallback;

    public bool Flag(string name) => args.Contains(name);

    /// <summary>Every <c>--set Key=Value</c>: configuration for the stack (<c>--set Ragtune:Storage:SectionWeight=2</c>).</summary>
    public Dictionary<string, string?> Settings() =>
        args.Select((arg, at) => (arg, at))
            .Where(pair => pair.arg == "--set" && pair.at + 1 < args.Length)
            .Select(pair => args[pair.at + 1].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : null);

    private string? Value(string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
