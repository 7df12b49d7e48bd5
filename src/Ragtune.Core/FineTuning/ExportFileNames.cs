namespace Ragtune.Core.FineTuning;

/// <summary>The checks every <see cref="IDatasetWriter"/> makes on the names it is given to read or write beside an export.</summary>
public static class ExportFileNames
{
    /// <summary>Throws unless <paramref name="exportName"/> is an export's name and <paramref name="fileName"/> a plain file name in it.</summary>
    public static void EnsureReadable(string exportName, string fileName)
    {
        if (!DatasetExportName.IsValid(exportName))
        {
            throw new ArgumentException($"'{exportName}' is not an export name (yyyyMMddTHHmmssZ-ULID).", nameof(exportName));
        }

        if (string.IsNullOrEmpty(fileName) || fileName != Path.GetFileName(fileName) || fileName.Contains('/', StringComparison.Ordinal)
            || fileName.Contains('\\', StringComparison.Ordinal) || fileName.StartsWith('.'))
        {
            throw new ArgumentException($"'{fileName}' is not a file name of an export.", nameof(fileName));
        }
    }

    /// <summary>Throws unless <paramref name="fileName"/> may be written beside an export: a <c>.json</c> report, not its manifest.</summary>
    public static void EnsureReport(string exportName, string fileName)
    {
        EnsureReadable(exportName, fileName);
        if (!fileName.EndsWith(".json", StringComparison.Ordinal) || fileName == DatasetManifest.FileName)
        {
            throw new ArgumentException($"'{fileName}' cannot be written beside an export: only .json reports can, never its manifest or data files.", nameof(fileName));
        }
    }
}
