using System.Text.Json;

namespace Ragtune.Core.Documents;

/// <summary>
/// The access-control sidecar of a document on the embedded default: <c>NAME.acl.json</c> beside the file
/// <c>NAME</c> (for example <c>benefits.pdf.acl.json</c>), holding <c>{"groups": ["hr", "board"]}</c>.
/// </summary>
public static class AccessControlSidecar
{
    /// <summary>The sidecar path of a document.</summary>
    public static string PathFor(string documentPath) => documentPath + DocumentReaders.AccessControlSuffix;

    /// <summary>
    /// Reads the groups of a sidecar. A sidecar that cannot be understood fails the document (as
    /// <see cref="DocumentReadFailure.InvalidAccessControl"/>) rather than making it public.
    /// </summary>
    public static IReadOnlyList<string> Parse(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("groups", out var groups)
                || groups.ValueKind != JsonValueKind.Array)
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
        new(source, DocumentReadFailure.InvalidAccessControl, "its access-control sidecar is not {\"groups\": [\"...\"]}", innerException);
}
