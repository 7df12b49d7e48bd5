using System.Text.RegularExpressions;

namespace Ragtune.Testing.Loopback;

/// <summary>Reads a <c>multipart/form-data</c> body (RFC 7578) as the loopback servers received it: each part's name, file name and content.</summary>
public static partial class Multipart
{
    public static IReadOnlyDictionary<string, (string? FileName, string Content)> Parse(string body, string contentType)
    {
        var boundary = Boundary().Match(contentType) is { Success: true } match
            ? match.Groups[1].Value.Trim('"')
            : throw new FormatException($"No boundary in '{contentType}'.");
        var parts = new Dictionary<string, (string?, string)>(StringComparer.Ordinal);
        foreach (var part in body.Split("--" + boundary).Skip(1))
        {
            if (part.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var split = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = part[..split];
            var content = part[(split + 4)..];
            content = content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content;
            var disposition = Disposition().Match(headers);
            var fileName = FileName().Match(headers);
            parts[disposition.Groups[1].Value.Trim('"')] = (fileName.Success ? fileName.Groups[1].Value.Trim('"') : null, content);
        }

        return parts;
    }

    [GeneratedRegex("boundary=(\"[^\"]+\"|[^;]+)")]
    private static partial Regex Boundary();

    [GeneratedRegex("Content-Disposition: form-data; name=(\"[^\"]+\"|[^;\\r\\n]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Disposition();

    [GeneratedRegex("; filename=(\"[^\"]+\"|[^;\\r\\n]+)", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();
}
