using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Storage;

/// <summary>
/// <c>ragtune ingest</c> into a data folder on a small tmpfs that the test mounts and fills (issue 18: a 3 MB tmpfs made
/// every remaining document fail alone with its stack). The first full write stops the run with one line naming the
/// folder and how many documents were not ingested; the store is whole (integrity check, full-text index in step,
/// every listed document with all its chunks); once space is freed, the same command completes the folder.
/// </summary>
public sealed partial class IngestOnAFullDiskTests : IDisposable
{
    private const int DocumentCount = 20;

    private readonly TempDirectory _documents = new();
    private readonly TempDirectory _mount = new();

    public IngestOnAFullDiskTests()
    {
        for (var i = 0; i < DocumentCount; i++)
        {
            _documents.WriteFile($"notes-{i:D2}.md", $"# Notes {i}\n\n" + string.Join("\n\n", Enumerable.Range(0, 2).Select(p =>
                $"Part {p} of note {i}: " + string.Join(' ', Enumerable.Range(0, 20).Select(j => $"The Larkspur depot {i} keeps crate {p * 100 + j} on shelf {i * 7 + j}.")))));
        }
    }

    private string Data => Path.Combine(_mount.Path, "data");

    private string Filler => Path.Combine(_mount.Path, "filler");

    public void Dispose()
    {
        Tmpfs.Unmount(_mount.Path);
        _mount.Dispose();
        _documents.Dispose();
    }

    [TmpfsFact]
    public async Task Ingest_DiskFillsMidRun_StopsOnceWithOneLine_KeepsTheStoreWhole_AndTheNextRunCompletes()
    {
        Tmpfs.Mount(_mount.Path, "6m");
        var setup = new TempDirectory();
        setup.WriteFile("first.md", "# First\n\nThe Larkspur depot opens at seven.\n");
        var created = await RagtuneCommand.RunAsync("ingest", setup.Path, "--data", Data);
        setup.Dispose();
        Assert.True(created.ExitCode == 0, created.Output);

        // Leave about 96 KB: a few documents fit, the rest do not.
        FillLeaving(96 * 1024);
        var full = await RagtuneCommand.RunAsync("ingest", _documents.Path, "--data", Data);

        Assert.True(full.ExitCode == 1, full.Output);
        var line = Assert.Single(full.Output.Split('\n'), l => l.Contains("disk is full", StringComparison.Ordinal));
        Assert.Contains(_documents.Path, line, StringComparison.Ordinal);
        var notIngested = int.Parse(NotIngested().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(notIngested, 1, DocumentCount);
        Assert.DoesNotContain("Exception", full.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", full.Output, StringComparison.Ordinal);

        File.Delete(Filler);
        var indexedBefore = AssertWhole();
        Assert.Equal(DocumentCount - notIngested, indexedBefore - 1);

        var again = await RagtuneCommand.RunAsync("ingest", _documents.Path, "--data", Data);

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains($"{notIngested} indexed", again.Output, StringComparison.Ordinal);
        Assert.Equal(DocumentCount + 1, AssertWhole());
    }

    /// <summary>Checks the database and returns how many documents it lists, each with all its chunks.</summary>
    private int AssertWhole()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Data, "ragtune.db")};Pooling=False");
        connection.Open();
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
        Scalar(connection, "INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')");
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM documents d WHERE d.chunks <> (SELECT count(*) FROM chunks c WHERE c.document_id = d.document_id)"));
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.document_id = c.document_id)"));
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM documents WHERE status <> 'indexed'"));
        return (int)(long)Scalar(connection, "SELECT count(*) FROM documents")!;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void FillLeaving(long bytes)
    {
        var free = new DriveInfo(_mount.Path).AvailableFreeSpace;
        using var filler = new FileStream(Filler, FileMode.Create);
        var block = new byte[64 * 1024];
        for (var left = free - bytes; left > 0; left -= block.Length)
        {
            filler.Write(block, 0, (int)Math.Min(block.Length, left));
        }
    }

    [GeneratedRegex(@"with ([\d,]+) of [\d,]+ documents not ingested")]
    private static partial Regex NotIngested();
}

/// <summary>A fact that needs to mount a tmpfs (root on Linux): skipped, saying why, where it cannot.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.WhyNot() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Mounts and unmounts small tmpfs file systems for tests.</summary>
public static class Tmpfs
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Null when a tmpfs can be mounted here, else why not.</summary>
    public static string? WhyNot() => Unavailable.Value;

    public static void Mount(string path, string size)
    {
        var (exit, error) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        Assert.True(exit == 0, $"mount -t tmpfs at {path}: {error}");
    }

    public static void Unmount(string path)
    {
        if (File.ReadAllText("/proc/mounts").Contains($" {path} ", StringComparison.Ordinal))
        {
            Run("umount", path);
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            return "mounting a small tmpfs needs root on Linux; IngestionOnAFullDiskTests (Core) covers the same with a fault-injecting index";
        }

        using var probe = new TempDirectory();
        var (exit, error) = Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.Path);
        if (exit != 0)
        {
            return $"mount -t tmpfs failed here ({error.Trim()}); IngestionOnAFullDiskTests (Core) covers the same with a fault-injecting index";
        }

        Run("umount", probe.Path);
        return null;
    }

    private static (int Exit, string Error) Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
