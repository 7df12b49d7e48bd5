using System.Security.Cryptography;
using System.Text;

namespace Ragtune.Core.Index;

/// <summary>
/// The identities that make ingestion idempotent: a document id is a stable hash of its source path, a chunk id is
/// the document id and the chunk's ordinal, a content hash is SHA-256 of the content. Ids use only letters and digits
/// and '-', which Azure AI Search accepts as keys.
/// </summary>
public static class DocumentIds
{
    /// <summary>Normalises a source path: '/' separators, no leading './' or '/'.</summary>
    public static string NormalizeSource(string source)
    {
        var normalized = source.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        return normalized.TrimStart('/');
    }

    /// <summary>The document id of a source path: the first 128 bits of SHA-256 of the normalised path, in hex.</summary>
    public static string ForSource(string source) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeSource(source))).AsSpan(0, 16));

    /// <summary>The id of the chunk at <paramref name="ordinal"/> in a document.</summary>
    public static string ForChunk(string documentId, int ordinal) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{documentId}-{ordinal}");

    /// <summary>SHA-256 of a chunk's text (UTF-8), in hex.</summary>
    public static string ContentHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
