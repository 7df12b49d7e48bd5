namespace Ragtune.Core.Index;

/// <summary>
/// Which documents a caller may read. A document with no groups is public. Callers from the network get
/// <see cref="Public"/> or <see cref="ForGroups"/>; only a trusted local command may use <see cref="Unrestricted"/>.
/// </summary>
public sealed record AccessScope
{
    private AccessScope(bool unrestricted, IReadOnlyList<string> groups)
    {
        IsUnrestricted = unrestricted;
        Groups = groups;
    }

    /// <summary>No identity: public documents only. The default, so that access fails closed.</summary>
    public static AccessScope Public { get; } = new(false, []);

    /// <summary>Every document, for local trusted commands (the operator's own CLI, evaluation).</summary>
    public static AccessScope Unrestricted { get; } = new(true, []);

    /// <summary>True when no group filter applies.</summary>
    public bool IsUnrestricted { get; }

    /// <summary>The caller's groups; public documents are readable too.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>Public documents plus those of the given groups.</summary>
    public static AccessScope ForGroups(IEnumerable<string> groups) =>
        new(false, [.. groups.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    /// <summary>True when a document with these groups is readable in this scope.</summary>
    public bool CanRead(IReadOnlyCollection<string> documentGroups) =>
        IsUnrestricted || documentGroups.Count == 0 || documentGroups.Any(g => Groups.Contains(g, StringComparer.Ordinal));

    public bool Equals(AccessScope? other) =>
        other is not null && IsUnrestricted == other.IsUnrestricted && Groups.SequenceEqual(other.Groups, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(IsUnrestricted, Groups.Count);
}
