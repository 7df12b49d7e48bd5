namespace Ragtune.Benchmarks;

/// <summary>A fresh folder under the temp directory, deleted on dispose unless kept.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    private readonly bool _keep;

    public TemporaryDirectory(string purpose, bool keep = false)
    {
        _keep = keep;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ragtune-bench", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        if (_keep)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            Console.Error.WriteLine("could not delete " + Path);
        }
    }
}
