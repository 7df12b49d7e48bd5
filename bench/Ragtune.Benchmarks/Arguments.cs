using System.Globalization;

namespace Ragtune.Benchmarks;

/// <summary>A benchmark's options: <c>--name value</c> pairs and flags, with defaults.</summary>
internal sealed class Arguments(string[] args)
{
    public int Int(string name, int fallback) =>
        Value(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => Value(name) ?? fallback;

    public bool Flag(string name) => args.Contains(name);

    private string? Value(string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
