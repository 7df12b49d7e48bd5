using System.Runtime.CompilerServices;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class DocumentReadersTests
{
    [Fact]
    public void CreateDefault_SupportsEveryDocumentType()
    {
        string[] expected = [".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".pptx", ".xlsx", ".csv", ".json"];

        Assert.Equal(expected.Order(), Reading.Readers.SupportedExtensions.Order());
        Assert.All(expected, extension => Assert.True(Reading.Readers.IsSupported("folder/File" + extension.ToUpperInvariant())));
    }

    [Theory]
    [InlineData("policies/leave.pdf.acl.json")]
    [InlineData("leave.ACL.JSON")]
    public void IsSupported_AccessControlSidecar_IsFalse(string path)
    {
        Assert.False(Reading.Readers.IsSupported(path));
        Assert.True(Reading.Readers.IsSupported(path[..^".acl.json".Length] + ".json"));
    }

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("README")]
    [InlineData("leave.pdf.acl.json")]
    public async Task Read_UnsupportedFile_FailsAsUnsupported(string path)
    {
        var failure = await Reading.FailureAsync(path, "{}"u8.ToArray());

        Assert.Equal(DocumentReadFailure.Unsupported, failure.Failure);
        Assert.Equal(path, failure.Source);
    }

    [Theory]
    [InlineData("empty.txt")]
    [InlineData("empty.md")]
    [InlineData("empty.html")]
    [InlineData("empty.pdf")]
    [InlineData("empty.docx")]
    [InlineData("empty.pptx")]
    [InlineData("empty.xlsx")]
    [InlineData("empty.csv")]
    [InlineData("empty.json")]
    public async Task Read_ZeroByteFile_FailsAsEmpty(string path)
    {
        var failure = await Reading.FailureAsync(path, []);

        Assert.Equal(DocumentReadFailure.Empty, failure.Failure);
    }

    [Theory]
    [InlineData("random.txt", DocumentReadFailure.InvalidEncoding, "not valid UTF-8")]
    [InlineData("random.md", DocumentReadFailure.InvalidEncoding, "not valid UTF-8")]
    [InlineData("random.csv", DocumentReadFailure.InvalidEncoding, "not valid UTF-8")]
    [InlineData("random.pdf", DocumentReadFailure.Corrupt, "not a PDF file")]
    [InlineData("random.docx", DocumentReadFailure.Corrupt, "not a valid .docx (zip) file")]
    [InlineData("random.pptx", DocumentReadFailure.Corrupt, "not a valid .pptx (zip) file")]
    [InlineData("random.xlsx", DocumentReadFailure.Corrupt, "not a valid .xlsx (zip) file")]
    [InlineData("random.json", DocumentReadFailure.Corrupt, "not valid JSON")]
    public async Task Read_RandomBytes_FailsAsTheTypeSays(string path, DocumentReadFailure expected, string reason)
    {
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);

        var failure = await Reading.FailureAsync(path, bytes);

        Assert.Equal(expected, failure.Failure);
        Assert.Contains(reason, failure.Reason, StringComparison.Ordinal);
        Assert.Equal(path, failure.Source);
    }

    [Fact]
    public async Task Read_ReaderFailingInsideItsLibrary_FailsAsCorruptWithoutTheLibraryMessage()
    {
        var readers = new DocumentReaders([new FakeReader(_ => throw new InvalidOperationException("Unexpected token at offset 0x1F in xref stream"))]);

        var failure = await Assert.ThrowsAsync<DocumentReadException>(() => ReadAllAsync(readers, "report.fake"));

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.DoesNotContain("xref", failure.Reason, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
    }

    [Fact]
    public async Task Read_ReaderGivingOnlyWhitespace_FailsAsEmpty()
    {
        var readers = new DocumentReaders([new FakeReader(_ => [new DocumentPage(1, "  \n\t ")])]);

        var failure = await Assert.ThrowsAsync<DocumentReadException>(() => ReadAllAsync(readers, "blank.fake"));

        Assert.Equal(DocumentReadFailure.Empty, failure.Failure);
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("report.pdf")]
    [InlineData("data.json")]
    public async Task Read_ContentStreamFailingWithIOException_PassesItThrough(string path)
    {
        // A dropped connection says nothing about the document: it must not be recorded as a corrupt file.
        await Assert.ThrowsAsync<IOException>(() => Reading.ReadAsync(path, new FailingStream()));
    }

    [Fact]
    public async Task Read_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var page in Reading.Readers.ReadAsync("notes.txt", new MemoryStream("hello"u8.ToArray()), cancellation.Token))
            {
                Assert.Fail($"read {page.Text} after cancellation");
            }
        });
    }

    private static async Task<List<DocumentPage>> ReadAllAsync(DocumentReaders readers, string source)
    {
        var pages = new List<DocumentPage>();
        await foreach (var page in readers.ReadAsync(source, new MemoryStream([1, 2, 3])))
        {
            pages.Add(page);
        }

        return pages;
    }

    private sealed class FakeReader(Func<Stream, IEnumerable<DocumentPage>> read) : IDocumentReader
    {
        public IReadOnlyCollection<string> Extensions { get; } = [".fake"];

        public async IAsyncEnumerable<DocumentPage> ReadAsync(
            string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            foreach (var page in read(content))
            {
                yield return page;
            }
        }
    }

    private sealed class FailingStream : ForwardReadStream
    {
        public override int Read(Span<byte> buffer) => throw new IOException("connection reset by peer");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("connection reset by peer"));
    }
}
