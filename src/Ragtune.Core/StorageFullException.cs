namespace Ragtune.Core;

/// <summary>
/// The disk that holds the index or the catalog is full. Nothing of the write that failed stays (the store's writes
/// are transactions), but every later write fails the same way until space is freed, so a run stops at the first one
/// rather than failing each remaining document alone. <see cref="NotIngested"/> says how many documents a stopped
/// ingestion left out.
/// </summary>
public sealed class StorageFullException : RagtuneException
{
    // ENOSPC on Linux and macOS (.NET gives the errno as the HResult of the IOException), ERROR_DISK_FULL and
    // ERROR_HANDLE_DISK_FULL on Windows.
    private const int NoSpaceErrno = 28;
    private const int DiskFull = unchecked((int)0x80070070);
    private const int HandleDiskFull = unchecked((int)0x80070027);

    public StorageFullException(Exception? innerException = null, int notIngested = 0)
        : base("The disk that holds Ragtune's data is full.", innerException)
    {
        NotIngested = notIngested;
    }

    /// <summary>How many documents of a stopped ingestion were not ingested (failed, or never tried).</summary>
    public int NotIngested { get; }

    /// <summary>Trying again helps only once space is freed; the host stops rather than retrying at once.</summary>
    public override bool IsTransient => true;

    /// <summary>True when <paramref name="exception"/>, or an exception inside it, says the disk is full.</summary>
    public static bool IsCause(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is StorageFullException || current is IOException { HResult: NoSpaceErrno or DiskFull or HandleDiskFull })
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsCause))
            {
                return true;
            }
        }

        return false;
    }
}
