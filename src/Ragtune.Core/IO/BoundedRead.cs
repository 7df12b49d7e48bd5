namespace Ragtune.Core.IO;

/// <summary>Reading a whole stream into memory, never more than a limit: an input over it is refused before it is all read.</summary>
public static class BoundedRead
{
    /// <summary>
    /// The rest of <paramref name="content"/>, or null when it holds more than <paramref name="maxBytes"/> bytes: known
    /// from its length when it can seek, else found while reading, which stops at the first byte over the limit.
    /// </summary>
    public static async Task<byte[]?> ReadAllAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default)
    {
        if (content.CanSeek && content.Length - content.Position > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
