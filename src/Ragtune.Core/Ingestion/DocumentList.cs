using Ragtune.Core.Api;
using Ragtune.Core.Index;

namespace Ragtune.Core.Ingestion;

/// <summary>The documents a caller may see, with their status: GET /api/documents and <c>ragtune documents</c>.</summary>
public sealed class DocumentList(IDocumentCatalog catalog)
{
    /// <summary>Lists the documents readable in <paramref name="access"/>; others are not even named.</summary>
    public async Task<DocumentsResponse> ListAsync(AccessScope access, CancellationToken cancellationToken = default)
    {
        var records = await catalog.ListAsync(cancellationToken);
        return new DocumentsResponse([.. records.Where(r => access.CanRead(r.Groups)).Select(DocumentInfo.From)]);
    }
}
