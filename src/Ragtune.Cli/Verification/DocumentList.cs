using System.Globalization;
using System.Text.Json;

namespace Ragtune.Cli.Verification;

/// <summary>The body of GET /api/documents, read without trusting its shape: the documents, or what is wrong with it.</summary>
internal sealed record DocumentList(IReadOnlyList<JsonElement> Documents, string? Problem)
{
    private static readonly string[] RequiredFields = ["documentId", "source", "status"];

    public static DocumentList Read(ApiReply reply)
    {
        if (reply.Json is not { } body || reply.MediaType != "application/json")
        {
            return new DocumentList([], $"the body is not JSON ({reply.MediaType ?? "no media type"})");
        }

        if (body.OfKind("documents", JsonValueKind.Array) is not { } documents)
        {
            return new DocumentList([], "the body has no documents array");
        }

        var list = documents.EnumerateArray().ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var missing = RequiredFields.Where(name => list[i].StringOrNull(name) is null).ToList();
            if (missing.Count > 0)
            {
                return new DocumentList(list, string.Create(CultureInfo.InvariantCulture, $"document {i + 1} has no {string.Join(", ", missing)}"));
            }
        }

        return new DocumentList(list, null);
    }

    /// <summary>The ids of the documents (their <c>documentId</c>).</summary>
    public IReadOnlySet<string> Ids => Documents.Select(d => d.StringOrNull("documentId")!).ToHashSet(StringComparer.Ordinal);
}
