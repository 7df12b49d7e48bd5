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
}
