using System.Text;

namespace Ragtune.Core.Documents;

/// <summary>
/// Opens text content for reading: UTF-8 unless a byte-order mark says UTF-16 or UTF-32, decoded strictly so that an
/// invalid byte fails the read instead of turning into a replacement character.
/// </summary>
internal static class StrictTextDecoding
{
    private const int ReaderBufferBytes = 16 * 1024;

    public static async Task<TextReader> OpenAsync(Stream content, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        var length = await content.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken);
        var (encoding, byteOrderMarkLength) = Detect(prefix.AsSpan(0, length));
        var rest = new PrefixedReadStream(prefix.AsMemory(byteOrderMarkLength, length - byteOrderMarkLength), content);
        return new StreamReader(rest, encoding, detectEncodingFromByteOrderMarks: false, ReaderBufferBytes, leaveOpen: false);
    }

    /// <summary>Turns a decoding failure into the reader's failure for this source.</summary>
    public static DocumentReadException InvalidEncoding(string source, DecoderFallbackException exception) =>
        new(source, DocumentReadFailure.InvalidEncoding, "the file is not valid UTF-8 text (nor UTF-16 with a byte-order mark)", exception);

    /// <summary>The failure for text that holds NUL characters, which only binary files do.</summary>
    public static DocumentReadException BinaryContent(string source) =>
        new(source, DocumentReadFailure.InvalidEncoding, "the file holds binary data, not text");

    private static (Encoding Encoding, int ByteOrderMarkLength) Detect(ReadOnlySpan<byte> prefix) => prefix switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false, throwOnInvalidBytes: true), 3),
        [0xFF, 0xFE, 0x00, 0x00] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true), 4),
        [0x00, 0x00, 0xFE, 0xFF] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true), 4),
        [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2),
        [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2),
        _ => (new UTF8Encoding(false, throwOnInvalidBytes: true), 0),
    };

    /// <summary>
    /// A read-only stream that gives a few bytes already taken from the inner stream, then the rest of it. It leaves
    /// the inner stream open: that belongs to the caller.
    /// </summary>
    private sealed class PrefixedReadStream(ReadOnlyMemory<byte> prefix, Stream inner) : ForwardReadStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer) => _prefix.IsEmpty ? inner.Read(buffer) : TakePrefix(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _prefix.IsEmpty ? inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(TakePrefix(buffer.Span));

        private int TakePrefix(Span<byte> buffer)
        {
            var count = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..count].CopyTo(buffer);
            _prefix = _prefix[count..];
            return count;
        }
    }
}
