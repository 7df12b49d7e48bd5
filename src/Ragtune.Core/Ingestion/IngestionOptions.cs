using System.ComponentModel.DataAnnotations;

namespace Ragtune.Core.Ingestion;

/// <summary>How documents are ingested (section <c>Ragtune:Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ragtune:Ingestion";

    /// <summary>Chunks embedded and written together. Bounds memory: a document is never held whole.</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Documents ingested at the same time by a bulk ingest, so that small documents keep every embedding worker busy.</summary>
    [Range(1, 64)]
    public int MaxConcurrentDocuments { get; set; } = 4;

    /// <summary>
    /// The largest document ingested, in bytes; a larger one fails as too large before it is parsed or embedded, so
    /// that one stray file (a log, a dump, a 100 MB line of text) cannot keep the embedding model busy for hours. Its
    /// bytes are still hashed, so that it is not tried again until it changes.
    /// </summary>
    [Range(1024, long.MaxValue)]
    public long MaxDocumentBytes { get; set; } = 64L * 1024 * 1024;
}
