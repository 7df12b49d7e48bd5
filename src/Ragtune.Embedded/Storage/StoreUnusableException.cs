namespace Ragtune.Embedded.Storage;

/// <summary>Why a data folder's database cannot be used.</summary>
public enum StoreProblem
{
    /// <summary>The file is not a SQLite database at all (text, garbage, another format).</summary>
    NotADatabase,

    /// <summary>A SQLite database, but not one Ragtune made.</summary>
    NotRagtune,

    /// <summary>Made by a newer Ragtune, with a schema version this one does not know.</summary>
    NewerSchema,

    /// <summary>SQLite's checks find the file damaged.</summary>
    Damaged,
}

/// <summary>
/// A database of the embedded store that is foreign, too new or damaged. Its message is one line that names the file,
/// says what is wrong and what to do; the command line prints it and exits 2, and <c>ragtune serve</c> does not start.
/// Nothing is retried: the file stays as it is until the user acts.
/// </summary>
public sealed class StoreUnusableException : Exception
{
    public StoreUnusableException(string filePath, StoreProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The database file's full path.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public StoreProblem Problem { get; }
}
