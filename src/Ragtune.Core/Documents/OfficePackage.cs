using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;

namespace Ragtune.Core.Documents;

/// <summary>
/// How the Office readers open a file: checks made before the package is parsed (an encrypted file is an OLE
/// compound file, not a zip; a zip bomb shows in its own directory), then the Open XML SDK with settings that bound
/// what its parser reads.
/// </summary>
internal static class OfficePackage
{
    private const long LargeEntryBytes = 1024 * 1024;

    private static readonly byte[] CompoundFileSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>
    /// Opens an Office file for reading (copied to a temporary file first when the stream cannot seek), after the
    /// checks. <paramref name="open"/> is the SDK's <c>Open(Stream, bool, OpenSettings)</c> for the document type.
    /// </summary>
    public static async Task<OfficeFile<TDocument>> OpenAsync<TDocument>(
        string source,
        Stream content,
        string extension,
        DocumentReaderOptions options,
        Func<Stream, bool, OpenSettings, TDocument> open,
        CancellationToken cancellationToken)
        where TDocument : OpenXmlPackage
    {
        var seekable = await SeekableContent.OpenAsync(source, content, cancellationToken);
        try
        {
            await CheckAsync(source, seekable.Stream, extension, options, cancellationToken);
            var settings = new OpenSettings { AutoSave = false, MaxCharactersInPart = options.MaxOfficePartCharacters };
            var document = OfficeFile<TDocument>.Guard(source, extension, () => open(seekable.Stream, false, settings));
            return new OfficeFile<TDocument>(source, extension, document, seekable);
        }
        catch
        {
            await seekable.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Checks the package and leaves the stream at its start, ready for the Open XML SDK. The sizes checked are the
    /// ones the zip directory declares; the parser's own limit on characters per part catches a directory that lies.
    /// </summary>
    private static async Task CheckAsync(string source, Stream stream, string extension, DocumentReaderOptions options, CancellationToken cancellationToken)
    {
        var start = stream.Position;
        var header = new byte[CompoundFileSignature.Length];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == header.Length && header.AsSpan().SequenceEqual(CompoundFileSignature))
        {
            stream.Position = start;
            throw await IsEncryptedPackageAsync(stream, cancellationToken)
                ? new DocumentReadException(source, DocumentReadFailure.Encrypted, "the file is password-protected")
                : new DocumentReadException(source, DocumentReadFailure.Corrupt, $"not a valid {extension} file (it is in the older binary Office format)");
        }

        if (read < 2 || header[0] != (byte)'P' || header[1] != (byte)'K')
        {
            throw NotAZip(source, extension);
        }

        stream.Position = start;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                var ratio = entry.CompressedLength == 0 ? entry.Length : entry.Length / entry.CompressedLength;
                if (total > options.MaxOfficeUncompressedBytes
                    || entry.Length > options.MaxOfficePartCharacters
                    || (entry.Length >= LargeEntryBytes && ratio > options.MaxOfficeCompressionRatio))
                {
                    throw new DocumentReadException(
                        source,
                        DocumentReadFailure.TooLarge,
                        $"the {extension} file expands to more than the limits allow (a zip bomb, or simply too large)");
                }
            }
        }
        catch (InvalidDataException exception)
        {
            throw NotAZip(source, extension, exception);
        }

        stream.Position = start;
    }

    private static DocumentReadException NotAZip(string source, string extension, Exception? exception = null) =>
        new(source, DocumentReadFailure.Corrupt, $"not a valid {extension} (zip) file", exception);

    /// <summary>
    /// An encrypted Office file is a compound file holding the streams "EncryptionInfo" and "EncryptedPackage"; the
    /// directory names them in UTF-16. A compound file without them is a legacy .doc, .ppt or .xls.
    /// </summary>
    private static async Task<bool> IsEncryptedPackageAsync(Stream stream, CancellationToken cancellationToken)
    {
        var name = "EncryptionInfo"u8.ToArray().SelectMany(b => new[] { b, (byte)0 }).ToArray();
        var buffer = new byte[64 * 1024 + name.Length];
        var carried = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(carried), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            var length = carried + read;
            if (buffer.AsSpan(0, length).IndexOf(name) >= 0)
            {
                return true;
            }

            carried = Math.Min(name.Length - 1, length);
            buffer.AsSpan(length - carried, carried).CopyTo(buffer);
        }
    }
}

/// <summary>An opened Office document and the content under it, disposed together.</summary>
internal sealed class OfficeFile<TDocument>(string source, string extension, TDocument document, SeekableContent content) : IAsyncDisposable
    where TDocument : OpenXmlPackage
{
    public TDocument Document { get; } = document;

    /// <summary>The failure for a valid package that holds some other kind of document (or none).</summary>
    public DocumentReadException NotTheFormat() =>
        new(source, DocumentReadFailure.Corrupt, $"not a valid {extension} file (the package holds no such document)");

    /// <summary>Runs a piece of parsing, turning whatever the Open XML SDK throws into the file's failure.</summary>
    public T Guard<T>(Func<T> read) => Guard(source, extension, read);

    /// <inheritdoc cref="Guard{T}(Func{T})"/>
    public void Guard(Action read) => Guard(source, extension, () =>
    {
        read();
        return true;
    });

    public static T Guard<T>(string source, string extension, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception exception) when (DocumentReaders.IsFormatFailure(exception))
        {
            throw new DocumentReadException(source, DocumentReadFailure.Corrupt, $"the {extension} file is damaged and cannot be read", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Document.Dispose();
        await content.DisposeAsync();
    }
}
