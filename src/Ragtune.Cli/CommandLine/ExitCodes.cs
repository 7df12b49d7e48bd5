namespace Ragtune.Cli.CommandLine;

/// <summary>The exit codes of every <c>ragtune</c> command.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and something failed (a document could not be ingested, a file did not validate).</summary>
    public const int Failure = 1;

    /// <summary>
    /// The command line or the configuration was wrong, or the data folder's database cannot be used (not a Ragtune
    /// database, from a newer Ragtune, or damaged).
    /// </summary>
    public const int Usage = 2;
}
