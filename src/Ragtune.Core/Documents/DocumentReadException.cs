namespace Ragtune.Core.Documents;

/// <summary>Why a document could not be read. Every reason is permanent: the same bytes fail the same way.</summary>
public enum DocumentReadFailure
{
    /// <summary>No reader handles the file's type.</summary>
    Unsupported,

    /// <summary>The file has no bytes, or no text once extracted.</summary>
    Empty,

    /// <summary>The file is damaged or is not what its extension says (a .docx that is not a zip, a truncated PDF).</summary>
    Corrupt,

    /// <summary>The file is password-protected or encrypted.</summary>
    Encrypted,

    /// <summary>A text file is not valid UTF-8 (or UTF-16 with a byte-order mark).</summary>
    InvalidEncoding,

    /// <summary>The file exceeds a configured limit (size, nesting, expansion ratio).</summary>
    TooLarge,

    /// <summary>The document's access-control sidecar cannot be understood, so it is not indexed rather than made public.</summary>
    InvalidAccessControl,
}

/// <summary>A document could not be read. It fails alone; nothing else is affected.</summary>
public sealed class DocumentReadException : RagtuneException
{
    public DocumentReadException(string source, DocumentReadFailure failure, string reason, Exception? innerException = null)
        : base($"{source}: {reason}", innerException)
    {
        Source = source;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>The document's source path (relative to the documents root or container).</summary>
    public new string Source { get; }

    public DocumentReadFailure Failure { get; }

    /// <summary>A short, human reason that names no internals, safe to show to users.</summary>
    public string Reason { get; }

    public override bool IsTransient => false;
}
