namespace Ragtune.Testing;

/// <summary>
/// The public data sets in <c>../shared/data</c> beside the repository (never copied into it).
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The <c>shared/data</c> folder.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The repository root (the folder holding <c>Functions.sln</c>).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ContosoDocuments => Path.Combine(Root, "contoso", "documents");

    public static string ContosoGroundTruth => Path.Combine(Root, "contoso", "evals", "ground_truth.jsonl");

    public static string SciFact => Path.Combine(Root, "scifact");

    public static string ContosoDocument(string fileName) => Path.Combine(ContosoDocuments, fileName);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}.");
    }

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("RAGTUNE_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
        return Directory.Exists(candidate)
            ? candidate
            : throw new DirectoryNotFoundException($"The shared data sets are expected at {candidate} (or set RAGTUNE_SHARED_DATA).");
    }
}
