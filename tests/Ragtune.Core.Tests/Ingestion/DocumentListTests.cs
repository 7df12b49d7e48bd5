using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Core.Tests.Fakes;

namespace Ragtune.Core.Tests.Ingestion;

/// <summary>Who sees which documents in the list, failed ones included.</summary>
public sealed class DocumentListTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task List_DocumentFailedByItsSidecar_IsListedOnlyToAnUnrestrictedScope()
    {
        var list = await ListWithAsync(
            Record("public.md", DocumentStatus.Indexed, error: null),
            Record("broken-pdf.pdf", DocumentStatus.Failed, error: "the PDF is truncated"),
            Record("secret.md", DocumentStatus.Failed, error: AccessControlSidecar.InvalidReason));

        Assert.Equal(["broken-pdf.pdf", "public.md"], Sources(await list.ListAsync(AccessScope.Public)));
        Assert.Equal(["broken-pdf.pdf", "public.md"], Sources(await list.ListAsync(AccessScope.ForGroups(["hr", "board"]))));
        Assert.Equal(["broken-pdf.pdf", "public.md", "secret.md"], Sources(await list.ListAsync(AccessScope.Unrestricted)));
    }

    [Fact]
    public async Task List_RestrictedDocument_IsListedToItsGroupsOnly()
    {
        var list = await ListWithAsync(Record("minutes.md", DocumentStatus.Indexed, error: null, "board"));

        Assert.Empty(Sources(await list.ListAsync(AccessScope.ForGroups(["hr"]))));
        Assert.Equal(["minutes.md"], Sources(await list.ListAsync(AccessScope.ForGroups(["board"]))));
    }

    private static async Task<DocumentList> ListWithAsync(params DocumentRecord[] records)
    {
        var catalog = new InMemoryDocumentCatalog();
        foreach (var record in records)
        {
            await catalog.SaveAsync(record);
        }

        return new DocumentList(catalog);
    }

    private static DocumentRecord Record(string source, DocumentStatus status, string? error, params string[] groups) =>
        new(DocumentIds.ForSource(source), source, "hash", status, 0, At, groups, error);

    private static string[] Sources(Ragtune.Core.Api.DocumentsResponse response) =>
        [.. response.Documents.Select(d => d.Source).Order(StringComparer.Ordinal)];
}
