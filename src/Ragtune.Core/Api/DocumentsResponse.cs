using Ragtune.Core.Index;

namespace Ragtune.Core.Api;

/// <summary>The body of GET /api/documents and of <c>ragtune documents --json</c>.</summary>
public sealed record DocumentsResponse(IReadOnlyList<DocumentInfo> Documents);

/// <summary>One document as the API shows it.</summary>
public sealed record DocumentInfo(
    string DocumentId,
    string Source,
    string ContentHash,
    int Chunks,
    DocumentStatus Status,
    string? Error,
    DateTimeOffset IndexedAt,
    IReadOnlyList<string> Groups)
{
    public static DocumentInfo From(DocumentRecord record) =>
        new(record.DocumentId, record.Source, record.ContentHash, record.Chunks, record.Status, record.Error, record.IndexedAt, record.Groups);
}
