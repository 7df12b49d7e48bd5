using Microsoft.Extensions.Configuration;

namespace Ragtune.Infra.Tests;

/// <summary>
/// A configuration that has the given keys but gives none of their values, and records each key the code asks for.
/// Binding an options type over it asks for every property under a section that has keys, so the record says which
/// keys the code reads, whatever their values (which may be known only at deployment).
/// </summary>
internal sealed class ReadKeysConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    public ReadKeysConfigurationProvider(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            Data[key] = null;
        }
    }

    public IReadOnlySet<string> Read => _read;

    public override bool TryGet(string key, out string? value)
    {
        _read.Add(key);
        value = null;
        return false;
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
}
