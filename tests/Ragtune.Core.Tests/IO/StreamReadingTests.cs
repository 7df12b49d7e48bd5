using Ragtune.Core.IO;

namespace Ragtune.Core.Tests.IO;

/// <summary>The one spool to a temporary file and the one read with a byte limit that Core's readers, ingestion and API share.</summary>
public sealed class StreamReadingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAll_UpToTheLimit_IsTheWholeContent(bool seekable)
    {
        var content = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var read = await BoundedRead.ReadAllAsync(Stream(content, seekable), maxBytes: 1000);

        Assert.Equal(content, read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAll_OneByteOverTheLimit_IsNull(bool seekable)
    {
        Assert.Null(await BoundedRead.ReadAllAsync(Stream(new byte[1001], seekable), maxBytes: 1000));
    }

    [Fact]
    public async Task ReadAll_OfAnEndlessStream_StopsSoonAfterTheLimit()
    {
        var endless = new EndlessStream();

        Assert.Null(await BoundedRead.ReadAllAsync(endless, maxBytes: 100_000));

        Assert.InRange(endless.BytesRead, 100_001, 100_000 + (81920 * 2));
    }

    [Fact]
    public async Task Spool_OfAForwardOnlyStream_IsASeekableCopyAtItsStart_DeletedWhenDisposed()
    {
        var content = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
        var source = Stream(content, seekable: false);
        string path;

        await using (var spool = await TemporaryFileSpool.CopyAsync(source))
        {
            Assert.True(spool.CanSeek);
            Assert.Equal(0, spool.Position);
            Assert.Equal(content.Length, spool.Length);
            var copy = new MemoryStream();
            await spool.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
            path = Assert.IsType<FileStream>(spool).Name;
            Assert.True(File.Exists(path));
            Assert.True(source.CanRead, "the source is left open");
        }

        Assert.False(File.Exists(path));
    }

    private static Stream Stream(byte[] content, bool seekable) => seekable ? new MemoryStream(content, writable: false) : new ForwardOnlyStream(content);

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }

    /// <summary>Zeros without end, counting what was read.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Clear(buffer, offset, count);
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
