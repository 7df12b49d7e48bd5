using System.Security.Cryptography;
using Ragtune.Core.IO;
using Ragtune.Core.Telemetry;

namespace Ragtune.Core.Ingestion;

/// <summary>A document's content as ingestion reads it: opened seekable (spooled to a temporary file when the source cannot seek) and hashed.</summary>
internal static class DocumentContent
{
    /// <summary>Opens the document seekable and hashes its content, in the read span; the caller disposes the stream.</summary>
    public static async Task<(Stream Content, string Hash)> ReadAsync(SourceDocument document, CancellationToken cancellationToken)
    {
        using var span = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Read);
        try
        {
            var content = await OpenSeekableAsync(document, cancellationToken);
            try
            {
                return (content, await HashAsync(content, cancellationToken));
            }
            catch
            {
                await content.DisposeAsync();
                throw;
            }
        }
        catch (Exception exception) when (RagtuneTelemetry.RecordFailure(span, exception))
        {
            throw;
        }
    }

    private static async Task<Stream> OpenSeekableAsync(SourceDocument document, CancellationToken cancellationToken)
    {
        var stream = await document.OpenAsync(cancellationToken);
        if (stream.CanSeek)
        {
            return stream;
        }

        // Readers need to seek (PDF, zip formats) and the content is hashed before it is read: spool to a temp
        // file, never to memory, so a large blob does not become a large array.
        await using (stream)
        {
            return await TemporaryFileSpool.CopyAsync(stream, cancellationToken);
        }
    }

    private static async Task<string> HashAsync(Stream content, CancellationToken cancellationToken)
    {
        content.Position = 0;
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken));
        content.Position = 0;
        return hash;
    }
}
