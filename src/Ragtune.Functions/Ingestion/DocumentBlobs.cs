using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;

namespace Ragtune.Functions.Ingestion;

/// <summary>
/// A blob of the documents container as a <see cref="SourceDocument"/>: its name is the source, the container its origin,
/// metadata <c>groups</c> its readers, its ETag the version (it changes with the content and with the metadata, so an unchanged ETag means
/// there is nothing to read).
/// </summary>
public static class DocumentBlobs
{
    public const string GroupsMetadata = "groups";

    /// <summary>
    /// The document of a blob whose properties (metadata, ETag) are known. The properties are read before the content,
    /// so a blob replaced in between is recorded under its older ETag and read once more by the next run, never skipped.
    /// </summary>
    public static SourceDocument ToSource(BlobClient blob, IDictionary<string, string>? metadata, ETag? etag) =>
        new(
            blob.Name,
            GroupsOf(metadata),
            async cancellationToken => await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken),

            // Header form: a listing gives the ETag bare and a properties request quoted; both must compare equal.
            etag?.ToString("H"),
            DocumentOrigin.Container(blob.BlobContainerName));

    /// <summary>The comma-separated groups of blob metadata <c>groups</c> (case-insensitive name); none when absent.</summary>
    public static IReadOnlyList<string> GroupsOf(IDictionary<string, string>? metadata)
    {
        var value = metadata?.FirstOrDefault(m => string.Equals(m.Key, GroupsMetadata, StringComparison.OrdinalIgnoreCase)).Value;
        return string.IsNullOrWhiteSpace(value) ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
