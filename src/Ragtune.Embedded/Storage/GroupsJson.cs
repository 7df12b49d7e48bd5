using System.Text.Json;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// How a list of groups is stored in a column: a JSON array, trimmed, without duplicates, in ordinal order, so that equal
/// sets have equal text and a public document's is exactly <see cref="Public"/>.
/// </summary>
internal static class GroupsJson
{
    public const string Public = "[]";

    public static string[] Canonicalize(IEnumerable<string> groups) =>
        [.. groups.Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public static string Serialize(IEnumerable<string> groups)
    {
        var canonical = Canonicalize(groups);
        return canonical.Length == 0 ? Public : JsonSerializer.Serialize(canonical);
    }

    public static string[] Parse(string json) =>
        json == Public ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}
