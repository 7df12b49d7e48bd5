using System.Globalization;
using System.Text;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads CSV records as RFC 4180 defines them: fields separated by a delimiter, fields in double quotes may hold
/// delimiters, line breaks and doubled quotes, records end at CRLF, LF or CR. The delimiter is the one of comma,
/// semicolon, tab and pipe that the first line uses most (outside quotes); comma when it uses none. Text that does
/// not decode, binary content and a record longer than the limit (an unclosed quote) fail the read.
/// </summary>
internal sealed class CsvRecordReader(string source, TextReader reader, int maxRecordCharacters)
{
    private const int BufferCharacters = 16 * 1024;
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    private readonly char[] _buffer = new char[BufferCharacters];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private char? _delimiter;

    /// <summary>The next record's fields, or null at the end of the input.</summary>
    public async ValueTask<List<string>?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_delimiter is null)
        {
            await FillFirstLineAsync(cancellationToken);
            _delimiter = DetectDelimiter(_buffer.AsSpan(0, _length));
        }

        if (!await EnsureDataAsync(cancellationToken))
        {
            return null;
        }

        var fields = new List<string>();
        var inQuotes = false;
        var quotedField = false;
        var recordCharacters = 0;
        _field.Clear();

        while (await EnsureDataAsync(cancellationToken))
        {
            var c = _buffer[_position++];
            if (++recordCharacters > maxRecordCharacters)
            {
                throw new DocumentReadException(
                    source,
                    DocumentReadFailure.TooLarge,
                    string.Create(CultureInfo.InvariantCulture, $"a CSV record is longer than {maxRecordCharacters:N0} characters (an unclosed quote?)"));
            }

            if (c == '\0')
            {
                throw StrictTextDecoding.BinaryContent(source);
            }

            if (inQuotes)
            {
                if (c != '"')
                {
                    _field.Append(c);
                }
                else if (await PeekAsync(cancellationToken) == '"')
                {
                    _position++;
                    _field.Append('"');
                }
                else
                {
                    inQuotes = false;
                }

                continue;
            }

            if (c == '"' && _field.Length == 0 && !quotedField)
            {
                inQuotes = true;
                quotedField = true;
            }
            else if (c == _delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                quotedField = false;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && await PeekAsync(cancellationToken) == '\n')
                {
                    _position++;
                }

                break;
            }
            else
            {
                _field.Append(c);
            }
        }

        fields.Add(_field.ToString());
        return fields;
    }

    private async ValueTask<bool> EnsureDataAsync(CancellationToken cancellationToken)
    {
        if (_position < _length)
        {
            return true;
        }

        try
        {
            _length = await reader.ReadAsync(_buffer, cancellationToken);
        }
        catch (DecoderFallbackException exception)
        {
            throw StrictTextDecoding.InvalidEncoding(source, exception);
        }

        _position = 0;
        return _length > 0;
    }

    /// <summary>Reads until the buffer holds the first line (or is full, or the input ends), for delimiter detection.</summary>
    private async ValueTask FillFirstLineAsync(CancellationToken cancellationToken)
    {
        while (_length < _buffer.Length && _buffer.AsSpan(0, _length).IndexOfAny('\r', '\n') < 0)
        {
            int read;
            try
            {
                read = await reader.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
            }
            catch (DecoderFallbackException exception)
            {
                throw StrictTextDecoding.InvalidEncoding(source, exception);
            }

            if (read == 0)
            {
                return;
            }

            _length += read;
        }
    }

    private async ValueTask<char?> PeekAsync(CancellationToken cancellationToken) =>
        await EnsureDataAsync(cancellationToken) ? _buffer[_position] : null;

    private static char DetectDelimiter(ReadOnlySpan<char> start)
    {
        Span<int> counts = stackalloc int[Delimiters.Length];
        var inQuotes = false;
        foreach (var c in start)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && c is '\r' or '\n')
            {
                break;
            }
            else if (!inQuotes && Delimiters.AsSpan().IndexOf(c) is var index and >= 0)
            {
                counts[index]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return Delimiters[best];
    }
}
