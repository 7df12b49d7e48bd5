namespace Ragtune.Testing;

/// <summary>A folder of a test's own, deleted when the test is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ragtune-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The full path of a file or folder inside this folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a text file (creating folders) and returns its full path.</summary>
    public string WriteFile(string relativePath, string contents)
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        return path;
    }

    /// <summary>Writes a binary file (creating folders) and returns its full path.</summary>
    public string WriteFile(string relativePath, byte[] contents)
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, contents);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a process under test; the OS temp cleaner takes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
