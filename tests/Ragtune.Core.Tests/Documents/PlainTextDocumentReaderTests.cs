using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class PlainTextDocumentReaderTests
{
    private static readonly int BlockCharacters = new DocumentReaderOptions().BlockCharacters;

    [Fact]
    public async Task Read_Markdown_KeepsItAsTextWithLineEndingsNormalised()
    {
        var markdown = "# Leave policy\r\n\r\n- Annual leave: 25 days\r\n- Sick leave: as needed\r\r| Plan | Cost |\n|---|---|\n| Plus | $55 |\n";

        var pages = await Reading.ReadAsync("handbook/leave.md", markdown);

        var page = Assert.Single(pages);
        Assert.Equal(1, page.Number);
        Assert.Equal("# Leave policy\n\n- Annual leave: 25 days\n- Sick leave: as needed\n\n| Plan | Cost |\n|---|---|\n| Plus | $55 |\n", page.Text);
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public async Task Read_TextWithByteOrderMark_DecodesIt(string encodingName)
    {
        const string Text = "Zürich – naïve café ✓";
        Encoding encoding = encodingName switch
        {
            "utf-8-bom" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
            "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
            _ => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        };
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(Text)).ToArray();

        var text = await Reading.ReadTextAsync("notes.txt", bytes);

        Assert.Equal(Text, text);
    }

    [Fact]
    public async Task Read_InvalidByteFarIntoTheFile_FailsAsInvalidEncoding()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', 300_000) + "\n").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        var failure = await Reading.FailureAsync("late.txt", bytes);

        Assert.Equal(DocumentReadFailure.InvalidEncoding, failure.Failure);
    }

    [Fact]
    public async Task Read_TextHoldingNulBytes_FailsAsBinary()
    {
        var bytes = Encoding.UTF8.GetBytes("MZ\0\0\0binary");

        var failure = await Reading.FailureAsync("program.txt", bytes);

        Assert.Equal(DocumentReadFailure.InvalidEncoding, failure.Failure);
        Assert.Contains("binary", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_LargeSingleLine_StreamsInSeveralBlocksThatJoinToTheInput()
    {
        var words = string.Join(' ', Enumerable.Range(0, 120_000).Select(i => "word" + i));
        Assert.DoesNotContain('\n', words);

        var pages = await Reading.ReadAsync("one-line.txt", new ForwardOnlyStream(new MemoryStream(Encoding.UTF8.GetBytes(words))));

        Assert.True(pages.Count >= 15, $"expected many blocks, got {pages.Count}");
        Assert.All(pages, page => Assert.Equal(1, page.Number));
        Assert.All(pages.SkipLast(1).Select(page => page.Text.Length), length => Assert.InRange(length, BlockCharacters / 2, BlockCharacters));
        Assert.All(pages.SkipLast(1).Select(page => page.Text[^1]), last => Assert.Equal(' ', last));
        Assert.Equal(words, string.Concat(pages.Select(page => page.Text)));
    }

    [Fact]
    public void DefaultBlock_IsAllocatedOutsideTheLargeObjectHeap()
    {
        // A block the size of the default is a young object: a large file's blocks do not pile up until a full collection.
        var block = new string('x', BlockCharacters);

        Assert.Equal(0, GC.GetGeneration(block));
        Assert.True(GC.GetGeneration(new string('x', 64 * 1024)) > 0, "a block of 64K characters would be a large object");
    }

    [Fact]
    public async Task Read_ManyParagraphs_EndsBlocksAtBlankLines()
    {
        var paragraphs = Enumerable.Range(0, 3000).Select(i => $"Paragraph {i} says something about benefits.\nIt has a second line.");
        var text = string.Join("\n\n", paragraphs) + "\n";

        var pages = await Reading.ReadAsync("long.md", text);

        Assert.True(pages.Count >= 2);
        Assert.All(pages.SkipLast(1).Select(page => page.Text[^7..]), end => Assert.Equal("line.\n\n", end));
        Assert.All(pages.Select(page => page.Text[..10]), start => Assert.Equal("Paragraph ", start));
        Assert.Equal(text, string.Concat(pages.Select(page => page.Text)));
    }

    [Fact]
    public async Task Read_HugeSingleLine_YieldsTheFirstBlockBeforeReadingMuchOfTheStream()
    {
        const long Size = 100L * 1024 * 1024;
        var stream = new ForwardOnlyStream(new RepeatingTextStream("lorem ipsum dolor sit amet "u8.ToArray(), Size));
        var readers = DocumentReaders.CreateDefault();

        long totalCharacters = 0;
        var blocks = 0;
        long bytesReadAtFirstBlock = -1;
        await foreach (var page in readers.ReadAsync("huge.txt", stream))
        {
            if (blocks++ == 0)
            {
                bytesReadAtFirstBlock = stream.BytesRead;
            }

            Assert.True(page.Text.Length <= BlockCharacters);
            totalCharacters += page.Text.Length;
        }

        Assert.Equal(Size, totalCharacters);
        Assert.True(blocks > 1000, $"expected the file in many blocks, got {blocks}");
        Assert.InRange(bytesReadAtFirstBlock, 1, 1024 * 1024);
    }

    /// <summary>A stream of a pattern repeated up to a length, generated as it is read: no memory for the whole.</summary>
    private sealed class RepeatingTextStream(byte[] pattern, long length) : ForwardReadStream
    {
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < count; i++)
            {
                buffer[i] = pattern[(_position + i) % pattern.Length];
            }

            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
