using System.Buffers.Binary;

namespace Ragtune.Testing;

/// <summary>Makes the broken data files a user may hand Ragtune, at the byte level: tests make their own damage.</summary>
public static class DamagedFiles
{
    /// <summary>Random bytes (fixed seed) where a database should be.</summary>
    public static void WriteGarbage(string path, int bytes = 8192)
    {
        var content = new byte[bytes];
        new Random(18).NextBytes(content);
        Write(path, content);
    }

    /// <summary>A plain text file where a database should be.</summary>
    public static void WriteText(string path) =>
        Write(path, "These are my notes, saved here by mistake.\nNothing in this file is a database.\n"u8.ToArray());

    /// <summary>
    /// Overwrites <paramref name="bytes"/> bytes at the start of the page in the middle of a SQLite file (its page size and
    /// page count from the file's header), where the page's b-tree header and first cell pointers are.
    /// </summary>
    public static void CorruptMiddle(string path, int bytes = 300)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var header = new byte[100];
        file.ReadExactly(header);
        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16)) is var size && size == 1 ? 65536 : size;
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        if (pages < 4)
        {
            throw new InvalidOperationException($"{path} has {pages} pages: too few to damage its middle.");
        }

        file.Position = (long)(pages / 2) * pageSize;
        file.Write(Enumerable.Repeat((byte)0xA5, bytes).ToArray());
    }

    private static void Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
