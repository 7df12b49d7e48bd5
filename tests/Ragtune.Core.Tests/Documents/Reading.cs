using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

/// <summary>Reads test documents through the default registry, as ingestion does.</summary>
internal static class Reading
{
    public static readonly DocumentReaders Readers = DocumentReaders.CreateDefault();

    public static Task<List<DocumentPage>> ReadAsync(string source, byte[] content, DocumentReaderOptions? options = null) =>
        ReadAsync(source, new MemoryStream(content, writable: false), options);

    public static Task<List<DocumentPage>> ReadAsync(string source, string content) =>
        ReadAsync(source, Encoding.UTF8.GetBytes(content));

    public static async Task<List<DocumentPage>> ReadAsync(string source, Stream content, DocumentReaderOptions? options = null)
    {
        var readers = options is null ? Readers : DocumentReaders.CreateDefault(options);
        var pages = new List<DocumentPage>();
        await using (content)
        {
            await foreach (var page in readers.ReadAsync(source, content))
            {
                pages.Add(page);
            }
        }

        return pages;
    }

    /// <summary>All the text, blocks joined as a chunker would see them.</summary>
    public static async Task<string> ReadTextAsync(string source, byte[] content, DocumentReaderOptions? options = null) =>
        string.Join("\n\n", (await ReadAsync(source, content, options)).Select(page => page.Text));

    public static Task<string> ReadTextAsync(string source, string content) =>
        ReadTextAsync(source, Encoding.UTF8.GetBytes(content));

    public static async Task<DocumentReadException> FailureAsync(string source, byte[] content, DocumentReaderOptions? options = null) =>
        await Assert.ThrowsAsync<DocumentReadException>(() => ReadAsync(source, content, options));

    public static async Task<DocumentReadException> FailureAsync(string source, Stream content, DocumentReaderOptions? options = null) =>
        await Assert.ThrowsAsync<DocumentReadException>(() => ReadAsync(source, content, options));
}

/// <summary>A read-only stream that cannot seek, like a blob download or an HTTP body.</summary>
internal sealed class ForwardOnlyStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        BytesRead += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
