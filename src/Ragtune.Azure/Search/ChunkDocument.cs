using System.Text.Json.Serialization;

namespace Ragtune.Azure.Search;

/// <summary>
/// A chunk as a document of the Azure AI Search index. The key is the chunk id and the generation of the replacement
/// that wrote it, so that a new version of a document is written beside the old one and made visible at once
/// (<see cref="Committed"/>) when it is complete.
/// </summary>
internal sealed record ChunkDocument
{
    [JsonPropertyName(ChunkFields.Key)]
    public string Key { get; init; } = "";

    [JsonPropertyName(ChunkFields.ChunkId)]
    public string ChunkId { get; init; } = "";

    [JsonPropertyName(ChunkFields.DocumentId)]
    public string DocumentId { get; init; } = "";

    [JsonPropertyName(ChunkFields.Generation)]
    public string Generation { get; init; } = "";

    [JsonPropertyName(ChunkFields.Committed)]
    public bool Committed { get; init; }

    [JsonPropertyName(ChunkFields.Ordinal)]
    public int Ordinal { get; init; }

    [JsonPropertyName(ChunkFields.Content)]
    public string Content { get; init; } = "";

    /// <summary>The headings the chunk stands under; null in chunks written before the field existed.</summary>
    [JsonPropertyName(ChunkFields.Section)]
    public string? Section { get; init; }

    [JsonPropertyName(ChunkFields.Source)]
    public string Source { get; init; } = "";

    [JsonPropertyName(ChunkFields.SourceFolders)]
    public IReadOnlyList<string> SourceFolders { get; init; } = [];

    [JsonPropertyName(ChunkFields.Page)]
    public int Page { get; init; }

    /// <summary>The page the chunk ends on; null in chunks written before the field existed (read as <see cref="Page"/>).</summary>
    [JsonPropertyName(ChunkFields.LastPage)]
    public int? LastPage { get; init; }

    [JsonPropertyName(ChunkFields.Groups)]
    public IReadOnlyList<string> Groups { get; init; } = [];

    [JsonPropertyName(ChunkFields.ContentHash)]
    public string ContentHash { get; init; } = "";

    [JsonPropertyName(ChunkFields.Embedding)]
    public float[]? Embedding { get; init; }

    /// <summary>The index key of a chunk written by a generation: letters, digits, '-' and '_' only, as keys require.</summary>
    public static string KeyOf(string chunkId, string generation) => $"{chunkId}_{generation}";

    /// <summary>Every folder that contains a source, with a trailing '/': <c>a/b/c.pdf</c> is in <c>a/</c> and <c>a/b/</c>.</summary>
    public static IReadOnlyList<string> FoldersOf(string source)
    {
        var folders = new List<string>();
        for (var slash = source.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = source.IndexOf('/', slash + 1))
        {
            folders.Add(source[..(slash + 1)]);
        }

        return folders;
    }
}

/// <summary>The field names of the chunk index.</summary>
internal static class ChunkFields
{
    public const string Key = "id";
    public const string ChunkId = "chunkId";
    public const string DocumentId = "documentId";
    public const string Generation = "generation";
    public const string Committed = "committed";
    public const string Ordinal = "ordinal";
    public const string Content = "content";
    public const string Section = "section";
    public const string Source = "source";
    public const string SourceFolders = "sourceFolders";
    public const string Page = "page";
    public const string LastPage = "lastPage";
    public const string Groups = "groups";
    public const string ContentHash = "contentHash";
    public const string Embedding = "embedding";

    public const string VectorProfile = "ragtune-vector-profile";
    public const string VectorAlgorithm = "ragtune-hnsw";
}
