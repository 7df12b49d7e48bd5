using System.Runtime.CompilerServices;
using System.Text;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads plain text and Markdown (kept as Markdown: headings, lists and tables read well as they are). The file is
/// streamed: it comes out as page-1 blocks of bounded size that end at a blank line where possible, else at a line
/// end, else at a space, so memory stays flat however large the file or however long its lines. Line endings are
/// normalised to <c>\n</c>; the blocks joined give the whole normalised text.
/// </summary>
public sealed class PlainTextDocumentReader(DocumentReaderOptions? options = null) : IDocumentReader
{
    private const int ReadChunkCharacters = 16 * 1024;

    private readonly int _blockCharacters = (options ?? new DocumentReaderOptions()).BlockCharacters;

    public IReadOnlyCollection<string> Extensions { get; } = [".txt", ".md", ".markdown"];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = await StrictTextDecoding.OpenAsync(content, cancellationToken);
        var chunk = new char[ReadChunkCharacters];
        var pending = new char[_blockCharacters + ReadChunkCharacters];
        var pendingLength = 0;
        var afterCarriageReturn = false;

        while (true)
        {
            var read = await ReadChunkAsync(source, reader, chunk, cancellationToken);
            if (read == 0)
            {
                break;
            }

            pendingLength += Normalise(source, chunk.AsSpan(0, read), pending.AsSpan(pendingLength), ref afterCarriageReturn);
            while (pendingLength >= _blockCharacters)
            {
                var cut = TextCut.Find(pending.AsSpan(0, pendingLength), _blockCharacters);
                yield return new DocumentPage(1, new string(pending, 0, cut));
                pending.AsSpan(cut, pendingLength - cut).CopyTo(pending);
                pendingLength -= cut;
            }
        }

        if (pendingLength > 0)
        {
            yield return new DocumentPage(1, new string(pending, 0, pendingLength));
        }
    }

    private static async ValueTask<int> ReadChunkAsync(string source, TextReader reader, char[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(chunk, cancellationToken);
        }
        catch (DecoderFallbackException exception)
        {
            throw StrictTextDecoding.InvalidEncoding(source, exception);
        }
    }

    /// <summary>Copies text with CRLF and lone CR turned into LF; a CR at the end of a chunk is settled by the next.</summary>
    private static int Normalise(string source, ReadOnlySpan<char> input, Span<char> output, ref bool afterCarriageReturn)
    {
        var written = 0;
        foreach (var c in input)
        {
            if (c == '\n' && afterCarriageReturn)
            {
                afterCarriageReturn = false;
                continue;
            }

            afterCarriageReturn = c == '\r';
            if (c == '\0')
            {
                throw StrictTextDecoding.BinaryContent(source);
            }

            output[written++] = afterCarriageReturn ? '\n' : c;
        }

        return written;
    }
}
