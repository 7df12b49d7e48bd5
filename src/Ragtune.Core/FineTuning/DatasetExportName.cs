using System.Globalization;
using System.Text.RegularExpressions;

namespace Ragtune.Core.FineTuning;

/// <summary>The name of an export, its folder or blob prefix: <c>{yyyyMMddTHHmmssZ}-{exportId}</c>, so that names sort by time.</summary>
public static partial class DatasetExportName
{
    /// <summary>The name of an export created at <paramref name="createdAt"/> with this id (a ULID).</summary>
    public static string For(DateTimeOffset createdAt, string exportId) =>
        string.Create(CultureInfo.InvariantCulture, $"{createdAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{exportId}");

    /// <summary>True when <paramref name="name"/> is an export's name (and so safe as a folder or blob prefix).</summary>
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex(@"^[0-9]{8}T[0-9]{6}Z-[0-9A-HJKMNP-TV-Z]{26}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
