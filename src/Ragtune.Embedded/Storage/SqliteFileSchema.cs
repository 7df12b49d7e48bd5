namespace Ragtune.Embedded.Storage;

/// <summary>What one SQLite file of the embedded store holds, and how to tell it is ours.</summary>
/// <param name="FileName">The file's name in the data folder.</param>
/// <param name="MarkerTable">A table every version of the file has: a SQLite file without it is not this store's.</param>
/// <param name="Migrations">The file's schema steps, numbered 1, 2, 3, ... without gaps.</param>
/// <param name="Remedy">What the user can do when the file is damaged, as the end of a sentence.</param>
internal sealed record SqliteFileSchema(string FileName, string MarkerTable, IReadOnlyList<SqliteMigration> Migrations, string Remedy)
{
    /// <summary>The index: documents, chunks, full-text index (rebuildable from the documents).</summary>
    public static SqliteFileSchema Index { get; } = new(
        SqliteStorageOptions.DatabaseFileName,
        "documents",
        SqliteSchema.Migrations,
        "run `ragtune check` to see which tables are hit; `ragtune reindex PATH...` rebuilds the index from the documents (the ratings, in ratings.db, stay)");

    /// <summary>The version of a file with every migration applied.</summary>
    public int LatestVersion => Migrations[^1].Version;
}
