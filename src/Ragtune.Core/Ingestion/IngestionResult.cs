namespace Ragtune.Core.Ingestion;

/// <summary>How ingesting one document ended.</summary>
public enum IngestionOutcome
{
    /// <summary>The document's current content is searchable.</summary>
    Indexed,

    /// <summary>The content was ingested before (or failed permanently before); nothing was done.</summary>
    Unchanged,

    /// <summary>The document cannot be ingested as it is (unsupported, corrupt, encrypted, empty). Recorded as failed; not retried until it changes.</summary>
    PermanentFailure,

    /// <summary>A dependency failed; the previous version is intact and trying again may succeed.</summary>
    TransientFailure,
}

/// <summary>What happened to one document.</summary>
/// <param name="DocumentId">The document's id.</param>
/// <param name="Source">Its source path.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Chunks">Chunks now searchable for the document.</param>
/// <param name="EmbeddedChunks">Chunks that needed a new embedding (the rest reused a stored one).</param>
/// <param name="Error">For failures, a reason safe to show to users.</param>
/// <param name="Exception">For failures, the exception, for the host to log or rethrow.</param>
public sealed record IngestionResult(
    string DocumentId,
    string Source,
    IngestionOutcome Outcome,
    int Chunks,
    int EmbeddedChunks,
    string? Error = null,
    Exception? Exception = null)
{
    public bool Succeeded => Outcome is IngestionOutcome.Indexed or IngestionOutcome.Unchanged;
}
