using System.Globalization;
using Ragtune.Core.Index;

namespace Ragtune.Core.Ingestion;

/// <summary>
/// What a synchronisation did: every document's result, the sources of its origin removed because they are gone, and
/// the documents of other origins it left alone (most first).
/// </summary>
public sealed record SynchronizationResult(IReadOnlyList<IngestionResult> Ingested, IReadOnlyList<string> Removed, IReadOnlyList<OriginCount> OtherOrigins);

/// <summary>How many documents of the catalog came from an origin.</summary>
public sealed record OriginCount(DocumentOrigin Origin, int Documents)
{
    /// <summary><c>1500 from ingest /home/me/papers</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Documents} from {Origin}");
}
