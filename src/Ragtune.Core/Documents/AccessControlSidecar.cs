using System.Text.Json;
using Ragtune.Core.Index;

namespace Ragtune.Core.Documents;

/// <summary>
/// The access-control sidecar of a document on the embedded default: <c>NAME.acl.json</c> beside the file
/// <c>NAME</c> (for example <c>benefits.pdf.acl.json</c>), holding <c>{"groups": ["hr", "board"]}</c>.
/// </summary>
public static class AccessControlSidecar
{
    /// <summary>The reason of a document failed by its sidecar (<see cref="DocumentRecord.Error"/>): who may read it is unknown.</summary>
    public const string InvalidReason = "its access-control sidecar is not {\"groups\": [\"...\"]}";

    /// <summary>The sidecar path of a document.</summary>
    public static string PathFor(string documentPath) => documentPath + DocumentReaders.AccessControlSuffix;

    /// <summary>
    /// Reads the groups of a sidecar. A sidecar that cannot be understood fails the document (as
    /// <see cref="DocumentReadFailure.InvalidAccessControl"/>) rather than making it public: anything but an object
    /// whose one property is <c>groups</c>, a list of non-empty strings. A duplicated key (<c>{"groups": ["hr"],
    /// "groups": []}</c>, where a last-key-wins reader would see no groups) and an unknown or misspelt key
    /// (<c>Groups</c>, <c>public</c>) fail it too: the writer meant something this reader would not do.
    /// </summary>
    public static IReadOnlyList<string> Parse(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            List<string>? names = root.ValueKind == JsonValueKind.Object ? [.. root.EnumerateObject().Select(p => p.Name)] : null;
            if (names is not ["groups"] || root.GetProperty("groups") is not { ValueKind: JsonValueKind.Array } groups)
            {
                throw Invalid(source, null);
            }

            var result = new List<string>();
            foreach (var group in groups.EnumerateArray())
            {
                if (group.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(group.GetString()))
                {
                    throw Invalid(source, null);
                }

                result.Add(group.GetString()!.Trim());
            }

            return result;
        }
        catch (JsonException exception)
        {
            throw Invalid(source, exception);
        }
    }

    private static DocumentReadException Invalid(string source, Exception? innerException) =>
        new(source, DocumentReadFailure.InvalidAccessControl, InvalidReason, innerException);

    /// <summary>True for a failed document whose sidecar could not be read: no caller is known to be allowed to see even its name.</summary>
    public static bool HasUnknownAccess(DocumentRecord record) =>
        record is { Status: DocumentStatus.Failed, Error: InvalidReason };
}
