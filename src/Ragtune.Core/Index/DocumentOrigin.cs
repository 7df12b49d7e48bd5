namespace Ragtune.Core.Index;

/// <summary>How a document came into the catalog.</summary>
public enum DocumentOriginKind
{
    /// <summary>Recorded before the catalog kept origins (or by a caller that named none): only an explicit removal removes it.</summary>
    Unknown,

    /// <summary>The documents folder that <c>ragtune serve</c> ingests and watches.</summary>
    WatchedFolder,

    /// <summary>A file or folder given to <c>ragtune ingest</c>.</summary>
    IngestedPath,

    /// <summary>A blob uploaded to the Azure documents container.</summary>
    Container,
}

/// <summary>
/// Where a document came from: its kind and its location (the full path of the folder, or the container's name). A
/// synchronisation removes only documents of its own origin that are gone from it; documents of any other origin stay
/// until removed explicitly. The default value is <see cref="Unknown"/>.
/// </summary>
public readonly record struct DocumentOrigin
{
    private const string UnknownText = "unknown";
    private readonly string? _location;

    private DocumentOrigin(DocumentOriginKind kind, string location)
    {
        Kind = kind;
        _location = location;
    }

    public DocumentOriginKind Kind { get; }

    /// <summary>The folder's full path (no trailing separator) or the container's name; empty for <see cref="Unknown"/>.</summary>
    public string Location => _location ?? string.Empty;

    /// <summary>An origin that was not recorded.</summary>
    public static DocumentOrigin Unknown => default;

    /// <summary>The folder <c>ragtune serve</c> watches.</summary>
    public static DocumentOrigin WatchedFolder(string path) => new(DocumentOriginKind.WatchedFolder, FullPath(path));

    /// <summary>A folder given to <c>ragtune ingest</c> (for a file: the folder it is in).</summary>
    public static DocumentOrigin IngestedPath(string path) => new(DocumentOriginKind.IngestedPath, FullPath(path));

    /// <summary>An Azure blob container of documents.</summary>
    public static DocumentOrigin Container(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(DocumentOriginKind.Container, name);
    }

    /// <summary>The stored form: <c>watched:/srv/docs</c>, <c>ingested:/home/me/papers</c>, <c>container:documents</c>, <c>unknown</c>.</summary>
    public string ToText() => Kind switch
    {
        DocumentOriginKind.Unknown => UnknownText,
        _ => $"{Prefix(Kind)}:{Location}",
    };

    /// <summary>Reads <see cref="ToText"/>; null, empty or unreadable text is <see cref="Unknown"/>, so an odd value never makes a document removable.</summary>
    public static DocumentOrigin Parse(string? text)
    {
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            return Unknown;
        }

        var location = text[(colon + 1)..];
        return text[..colon] switch
        {
            "watched" => new(DocumentOriginKind.WatchedFolder, location),
            "ingested" => new(DocumentOriginKind.IngestedPath, location),
            "container" => new(DocumentOriginKind.Container, location),
            _ => Unknown,
        };
    }

    /// <summary>For people: <c>serve --docs /srv/docs</c>, <c>ingest /home/me/papers</c>, <c>container documents</c>, <c>unknown (before origins)</c>.</summary>
    public override string ToString() => Kind switch
    {
        DocumentOriginKind.WatchedFolder => $"serve --docs {Location}",
        DocumentOriginKind.IngestedPath => $"ingest {Location}",
        DocumentOriginKind.Container => $"container {Location}",
        _ => "unknown (recorded before origins)",
    };

    private static string Prefix(DocumentOriginKind kind) => kind switch
    {
        DocumentOriginKind.WatchedFolder => "watched",
        DocumentOriginKind.IngestedPath => "ingested",
        DocumentOriginKind.Container => "container",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown origin kind."),
    };

    private static string FullPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    }
}
