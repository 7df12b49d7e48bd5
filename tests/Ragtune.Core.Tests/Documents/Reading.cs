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

    /// <summary>Asserts the pages' numbers and texts, in order.</summary>
    public static void AssertPages(IEnumerable<DocumentPage> pages, params (int Number, string Text)[] expected) =>
        Assert.Equal(expected, pages.Select(page => (page.Number, page.Text)));

    public static async Task<DocumentReadException> FailureAsync(string source, byte[] content, DocumentReaderOptions? options = null) =>
        await Assert.ThrowsAsync<DocumentReadException>(() => ReadAsync(source, content, options));

    public static async Task<DocumentReadException> FailureAsync(string source, Stream content, DocumentReaderOptions? options = null) =>
        await Assert.ThrowsAsync<DocumentReadException>(() => ReadAsync(source, content, options));
}

/// <summary>A read-only stream that cannot seek, like a blob download or an HTTP body.</summary>
internal sealed class ForwardOnlyStream(Stream inner) : ForwardReadStream
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        BytesRead += read;
        return read;
    }
}
