using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads CSV: the first record names the columns, and every later record becomes a line
/// <c>header: value; header: value</c> (empty values left out), streamed in page-1 blocks of bounded size. The text
/// is strict UTF-8 (or UTF-16 with a byte-order mark), like plain text.
/// </summary>
public sealed class CsvDocumentReader(DocumentReaderOptions? options = null) : IDocumentReader
{
    private readonly DocumentReaderOptions _options = options ?? new DocumentReaderOptions();

    public IReadOnlyCollection<string> Extensions { get; } = [".csv"];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var text = await StrictTextDecoding.OpenAsync(content, cancellationToken);
        var records = new CsvRecordReader(source, text, _options.MaxCsvRecordCharacters);
        var output = new PageTextBuilder(1, _options.BlockCharacters);
        List<string>? headers = null;

        while (await records.ReadAsync(cancellationToken) is { } record)
        {
            if (record.TrueForAll(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (headers is null)
            {
                headers = record.ConvertAll(header => header.Trim());
                continue;
            }

            var line = Describe(headers, record);
            if (line.Length > 0)
            {
                output.AddLine(line);
            }

            while (output.TryTake(out var page))
            {
                yield return page;
            }
        }

        output.CompleteBlock();
        while (output.TryTake(out var page))
        {
            yield return page;
        }
    }

    private static string Describe(List<string> headers, List<string> record)
    {
        var line = new StringBuilder();
        for (var i = 0; i < record.Count; i++)
        {
            var value = record[i].Trim();
            if (value.Length == 0)
            {
                continue;
            }

            var header = i < headers.Count && headers[i].Length > 0
                ? headers[i]
                : string.Create(CultureInfo.InvariantCulture, $"column {i + 1}");
            if (line.Length > 0)
            {
                line.Append("; ");
            }

            line.Append(header).Append(": ").Append(value.ReplaceLineEndings(" "));
        }

        return line.ToString();
    }
}
