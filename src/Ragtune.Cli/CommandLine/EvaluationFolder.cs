namespace Ragtune.Cli.CommandLine;

/// <summary>The data folder of an evaluation: the one given, kept; or a new temporary folder, deleted on dispose.</summary>
internal sealed class EvaluationFolder : IDisposable
{
    private readonly bool _temporary;

    public EvaluationFolder(DirectoryInfo? kept)
    {
        _temporary = kept is null;
        Directory = kept ?? System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"ragtune-eval-{Guid.NewGuid():N}"));
    }

    public DirectoryInfo Directory { get; }

    public void Dispose()
    {
        if (_temporary)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(recursive: true);
        }
    }
}
