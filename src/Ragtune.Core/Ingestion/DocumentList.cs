using Ragtune.Core.Api;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;

namespace Ragtune.Core.Ingestion;

/// <summary>The documents a caller may see, with their status: GET /api/documents and <c>ragtune documents</c>.</summary>
public sealed class DocumentList(IDocumentCatalog catalog)
{
    /// <summary>
    /// Lists the documents readable in <paramref name="access"/>; others are not even named. A document failed by its
    /// access-control sidecar has no known readers, so only an unrestricted scope (<c>ragtune documents</c>) lists it.
    /// </summary>
    public async Task<DocumentsResponse> ListAsync(AccessScope access, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        var records = await catalog.ListAsync(cancellationToken);
        return new DocumentsResponse([.. records
            .Where(r => access.IsUnrestricted || (access.CanRead(r.Groups) && !AccessControlSidecar.HasUnknownAccess(r)))
            .Select(DocumentInfo.From)]);
    }
}
