using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;

namespace Ragtune.Embedded.Files;

/// <summary>
/// A folder of documents on the embedded default: every supported file below the root (hidden folders such as
/// <c>.git</c> and <c>.ragtune</c> excluded), its source path relative to the root, and its groups from the
/// <c>NAME.acl.json</c> sidecar beside it.
/// </summary>
public sealed class DocumentFolder
{
    private readonly DocumentReaders _readers;

    /// <param name="root">The folder.</param>
    /// <param name="readers">The document readers (which files are documents).</param>
    /// <param name="kind">Whose folder it is: <c>serve</c>'s watched folder, or a path given to <c>ingest</c>.</param>
    public DocumentFolder(string root, DocumentReaders readers, DocumentOriginKind kind)
    {
        Root = Path.GetFullPath(root);
        _readers = readers;
        Origin = kind switch
        {
            DocumentOriginKind.WatchedFolder => DocumentOrigin.WatchedFolder(Root),
            DocumentOriginKind.IngestedPath => DocumentOrigin.IngestedPath(Root),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A documents folder is watched by serve or given to ingest."),
        };
    }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    /// <summary>The origin its documents are recorded with.</summary>
    public DocumentOrigin Origin { get; }

    /// <summary>The documents in the folder and its subfolders, ordered by source.</summary>
    public IReadOnlyList<SourceDocument> List() =>
        [.. ListFiles().Where(_readers.IsSupported).Select(Get).OrderBy(d => d.Source, StringComparer.Ordinal)];

    /// <summary>Files below the root that are neither documents nor sidecars (reported as skipped).</summary>
    public IReadOnlyList<string> ListUnsupported() =>
        [.. ListFiles().Where(f => !_readers.IsSupported(f) && !DocumentReaders.IsAccessControlSidecar(f)).Select(ToSource).Order(StringComparer.Ordinal)];

    /// <summary>True when <paramref name="fullPath"/> is a document of this folder (inside it, not hidden, supported).</summary>
    public bool Contains(string fullPath) =>
        _readers.IsSupported(fullPath) && IsInside(Path.GetFullPath(fullPath));

    /// <summary>The document at a path inside the folder. Its sidecar is read when the document is opened.</summary>
    public SourceDocument Get(string fullPath)
    {
        fullPath = Path.GetFullPath(fullPath);
        var source = ToSource(fullPath);
        var groups = ReadGroups(source, fullPath);
        return new SourceDocument(source, groups.Groups, OpenAsync, Origin: Origin);

        Task<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            if (groups.Error is not null)
            {
                throw groups.Error;
            }

            Stream stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
    }

    /// <summary>The source path of a file: relative to the root, '/' separators.</summary>
    public string ToSource(string fullPath) =>
        DocumentIds.NormalizeSource(Path.GetRelativePath(Root, Path.GetFullPath(fullPath)));

    private IEnumerable<string> ListFiles()
    {
        if (!Directory.Exists(Root))
        {
            throw new DirectoryNotFoundException($"The documents folder {Root} does not exist.");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(Root, "*", options).Where(f => IsInside(f));
    }

    private bool IsInside(string fullPath)
    {
        var relative = Path.GetRelativePath(Root, fullPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return false;
        }

        // Hidden files and folders (".git", ".ragtune") are not documents, on every platform.
        return !relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));
    }

    private static (IReadOnlyList<string> Groups, DocumentReadException? Error) ReadGroups(string source, string fullPath)
    {
        var sidecar = AccessControlSidecar.PathFor(fullPath);
        if (!File.Exists(sidecar))
        {
            return ([], null);
        }

        try
        {
            return (AccessControlSidecar.Parse(source, File.ReadAllText(sidecar)), null);
        }
        catch (DocumentReadException exception)
        {
            return ([], exception);
        }
    }
}
