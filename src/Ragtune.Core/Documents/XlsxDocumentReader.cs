using System.Globalization;
using System.Runtime.CompilerServices;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads Excel workbooks (.xlsx) with the Open XML SDK: one page per worksheet (numbered by the sheet's position),
/// the sheet name as a <c>#</c> line, then each row as <c>a | b | c</c> with shared strings resolved and dates
/// shown as dates. Sheets are streamed row by row; a workbook with more than
/// <see cref="DocumentReaderOptions.MaxSpreadsheetCells"/> non-empty cells fails as too large.
/// </summary>
public sealed class XlsxDocumentReader(DocumentReaderOptions? options = null) : IDocumentReader
{
    private const string Extension = ".xlsx";

    private readonly DocumentReaderOptions _options = options ?? new DocumentReaderOptions();

    public IReadOnlyCollection<string> Extensions { get; } = [Extension];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var file = await OfficePackage.OpenAsync(source, content, Extension, _options, SpreadsheetDocument.Open, cancellationToken);
        var workbookPart = file.Document.WorkbookPart ?? throw file.NotTheFormat();
        var sheets = file.Guard(() => workbookPart.Workbook?.Sheets?.Elements<Sheet>().ToList() ?? []);
        var values = file.Guard(() => CellText.Load(workbookPart));
        var cellCount = 0L;
        for (var index = 0; index < sheets.Count; index++)
        {
            if (sheets[index].Id?.Value is not { } relationshipId
                || file.Guard(() => workbookPart.GetPartById(relationshipId)) is not WorksheetPart worksheetPart)
            {
                continue;
            }

            var output = new PageTextBuilder(index + 1, _options.BlockCharacters);
            string? heading = "# " + (sheets[index].Name?.Value ?? string.Create(CultureInfo.InvariantCulture, $"Sheet {index + 1}"));
            using var reader = file.Guard(() => OpenXmlReader.Create(worksheetPart));
            while (file.Guard(() => ReadRow(reader)) is { } row)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cells = file.Guard(() => values.Format(row));
                cellCount += cells.Count(cell => cell.Length > 0);
                if (cellCount > _options.MaxSpreadsheetCells)
                {
                    throw new DocumentReadException(
                        source,
                        DocumentReadFailure.TooLarge,
                        string.Create(CultureInfo.InvariantCulture, $"the workbook has more than {_options.MaxSpreadsheetCells:N0} cells"));
                }

                if (cells.Count > 0)
                {
                    if (heading is not null)
                    {
                        output.AddParagraph(heading);
                        heading = null;
                    }

                    output.AddLine(string.Join(" | ", cells));
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
    }

    private static Row? ReadRow(OpenXmlReader reader)
    {
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Row) && reader.IsStartElement)
            {
                return (Row)reader.LoadCurrentElement()!;
            }
        }

        return null;
    }

    /// <summary>Turns cells into text: shared and inline strings, booleans, and numbers formatted as dates shown as dates.</summary>
    private sealed class CellText(List<string> sharedStrings, HashSet<uint> dateStyles)
    {
        /// <summary>Built-in number formats that show dates or times.</summary>
        private static readonly HashSet<uint> BuiltInDateFormats = [14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47];

        public static CellText Load(WorkbookPart workbookPart)
        {
            var strings = new List<string>();
            if (workbookPart.SharedStringTablePart is { } stringsPart)
            {
                using var reader = OpenXmlReader.Create(stringsPart);
                while (reader.Read())
                {
                    if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
                    {
                        strings.Add(ItemText((SharedStringItem)reader.LoadCurrentElement()!));
                    }
                }
            }

            var dateStyles = new HashSet<uint>();
            var stylesheet = workbookPart.WorkbookStylesPart?.Stylesheet;
            if (stylesheet?.CellFormats is { } formats)
            {
                var customDateFormats = (stylesheet.NumberingFormats?.Elements<NumberingFormat>() ?? [])
                    .Where(format => format.NumberFormatId?.Value is not null && IsDateFormatCode(format.FormatCode?.Value))
                    .Select(format => format.NumberFormatId!.Value)
                    .ToHashSet();
                uint index = 0;
                foreach (var format in formats.Elements<CellFormat>())
                {
                    var id = format.NumberFormatId?.Value ?? 0;
                    if (BuiltInDateFormats.Contains(id) || customDateFormats.Contains(id))
                    {
                        dateStyles.Add(index);
                    }

                    index++;
                }
            }

            return new CellText(strings, dateStyles);
        }

        /// <summary>The row's cell texts, placed by their column letters (gaps as empty cells), trailing empties dropped.</summary>
        public List<string> Format(Row row)
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = ColumnIndex(cell.CellReference?.Value) ?? cells.Count;
                var text = Text(cell);
                if (text.Length == 0)
                {
                    continue;
                }

                while (cells.Count < column)
                {
                    cells.Add(string.Empty);
                }

                if (column < cells.Count)
                {
                    cells[column] = text;
                }
                else
                {
                    cells.Add(text);
                }
            }

            return cells;
        }

        private string Text(Cell cell)
        {
            var raw = cell.CellValue?.Text;
            var type = cell.DataType?.Value;
            if (type == CellValues.InlineString)
            {
                return cell.InlineString is { } inline ? ItemText(inline) : string.Empty;
            }

            if (raw is null)
            {
                return string.Empty;
            }

            if (type == CellValues.SharedString)
            {
                return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < sharedStrings.Count
                    ? sharedStrings[index]
                    : string.Empty;
            }

            if (type == CellValues.Boolean)
            {
                return raw == "1" ? "TRUE" : "FALSE";
            }

            if ((type is null || type == CellValues.Number)
                && cell.StyleIndex?.Value is { } style
                && dateStyles.Contains(style)
                && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial)
                && serial is >= 0 and < 2958466)
            {
                return FormatDate(DateTime.FromOADate(serial));
            }

            return raw.Trim();
        }

        private static string FormatDate(DateTime value) =>
            value.TimeOfDay == TimeSpan.Zero
                ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : value.Date == new DateTime(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified)
                    ? value.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
                    : value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        /// <summary>A string item's text: its plain text or rich-text runs, without phonetic (ruby) runs.</summary>
        private static string ItemText(OpenXmlElement item) =>
            string.Concat(item.Descendants<Text>().Where(text => text.Parent is not PhoneticRun).Select(text => text.Text)).Trim();

        /// <summary>"C12" gives 2.</summary>
        private static int? ColumnIndex(string? reference)
        {
            if (string.IsNullOrEmpty(reference))
            {
                return null;
            }

            var index = 0;
            var letters = 0;
            foreach (var c in reference)
            {
                if (!char.IsAsciiLetter(c))
                {
                    break;
                }

                index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
                letters++;
                if (letters > 3)
                {
                    return null;
                }
            }

            return letters == 0 ? null : index - 1;
        }

        /// <summary>A custom number format shows a date or time when, outside quoted text and [...] sections, it has y, d, h or s.</summary>
        private static bool IsDateFormatCode(string? code)
        {
            if (string.IsNullOrEmpty(code))
            {
                return false;
            }

            var inQuotes = false;
            var inBrackets = false;
            foreach (var c in code)
            {
                switch (c)
                {
                    case '"':
                        inQuotes = !inQuotes;
                        break;
                    case '[' when !inQuotes:
                        inBrackets = true;
                        break;
                    case ']' when !inQuotes:
                        inBrackets = false;
                        break;
                    default:
                        if (!inQuotes && !inBrackets && char.ToLowerInvariant(c) is 'y' or 'd' or 'h' or 's')
                        {
                            return true;
                        }

                        break;
                }
            }

            return false;
        }
    }
}
