using System.Security.Cryptography;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// A JSONL file of an export being written: lines end with <c>\n</c>, an optional UTF-8 byte-order mark comes first, and
/// the size and SHA-256 of the bytes are taken as they are written.
/// </summary>
internal sealed class JsonLinesFile : IAsyncDisposable
{
    private static readonly byte[] LineEnd = [(byte)'\n'];
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytes;
    private int _lines;
    private bool _completed;

    private JsonLinesFile(string name, Stream stream)
    {
        Name = name;
        _stream = stream;
    }

    public string Name { get; }

    public static async Task<JsonLinesFile> CreateAsync(IDatasetExport export, string name, bool byteOrderMark, CancellationToken cancellationToken)
    {
        var file = new JsonLinesFile(name, await export.CreateFileAsync(name, cancellationToken));
        if (byteOrderMark)
        {
            await file.WriteAsync(ByteOrderMark, cancellationToken);
        }

        return file;
    }

    /// <summary>Writes one line: the JSON, then <c>\n</c>.</summary>
    public async Task WriteLineAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await WriteAsync(json, cancellationToken);
        await WriteAsync(LineEnd, cancellationToken);
        _lines++;
    }

    /// <summary>Closes the file and describes it for the manifest.</summary>
    public async Task<DatasetFileInfo> CompleteAsync()
    {
        _completed = true;
        await _stream.DisposeAsync();
        return new DatasetFileInfo(Name, _lines, _bytes, Convert.ToHexStringLower(_hash.GetHashAndReset()));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _stream.DisposeAsync();
        }

        _hash.Dispose();
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        _hash.AppendData(bytes.Span);
        _bytes += bytes.Length;
        await _stream.WriteAsync(bytes, cancellationToken);
    }
}
