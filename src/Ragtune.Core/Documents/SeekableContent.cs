using Ragtune.Core.IO;

namespace Ragtune.Core.Documents;

/// <summary>
/// Content that a format library can seek in: the caller's stream when it can seek, else a copy in a temporary file
/// (never in memory) that is deleted when this is disposed. A file with no bytes fails here as empty.
/// </summary>
internal sealed class SeekableContent : IAsyncDisposable
{
    private readonly bool _ownsStream;

    private SeekableContent(Stream stream, bool ownsStream)
    {
        Stream = stream;
        _ownsStream = ownsStream;
    }

    public Stream Stream { get; }

    public static async Task<SeekableContent> OpenAsync(string source, Stream content, CancellationToken cancellationToken)
    {
        if (content.CanSeek)
        {
            ThrowIfEmpty(source, content.Length - content.Position);
            return new SeekableContent(content, ownsStream: false);
        }

        var copy = await TemporaryFileSpool.CopyAsync(content, cancellationToken);
        try
        {
            ThrowIfEmpty(source, copy.Length);
            return new SeekableContent(copy, ownsStream: true);
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsStream)
        {
            await Stream.DisposeAsync();
        }
    }

    private static void ThrowIfEmpty(string source, long length)
    {
        if (length <= 0)
        {
            throw new DocumentReadException(source, DocumentReadFailure.Empty, "the file is empty");
        }
    }
}
