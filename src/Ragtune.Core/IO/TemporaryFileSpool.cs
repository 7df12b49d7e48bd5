namespace Ragtune.Core.IO;

/// <summary>A copy of a stream that cannot seek, in a temporary file rather than in memory, so that a large input does not become a large array.</summary>
public static class TemporaryFileSpool
{
    /// <summary>
    /// Copies the rest of <paramref name="content"/> into a new temporary file, deleted when the returned stream is
    /// disposed, and returns that stream at its start. <paramref name="content"/> is left open.
    /// </summary>
    public static async Task<Stream> CopyAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var spool = new FileStream(
            Path.Combine(Path.GetTempPath(), $"ragtune-{Guid.NewGuid():N}.tmp"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            bufferSize: 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await content.CopyToAsync(spool, cancellationToken);
            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }
}
