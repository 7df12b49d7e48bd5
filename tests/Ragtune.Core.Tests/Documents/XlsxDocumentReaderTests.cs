using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class XlsxDocumentReaderTests
{
    private const uint DateStyle = 1;

    [Fact]
    public async Task Read_Xlsx_GivesOnePagePerSheetWithNameAndRows()
    {
        var xlsx = Xlsx(
            ["Plan", "Monthly cost", "Vision", "Standard"],
            ("Costs",
            [
                new Row(Shared("A1", 0), Shared("B1", 1), Shared("C1", 2)),
                new Row(Shared("A2", 3), Number("B2", "45.5"), Boolean("C2", false)),
                new Row(Inline("A3", "Plus"), Number("B3", "55"), Boolean("C3", true)),
            ]),
            ("Dates",
            [
                new Row(Inline("A1", "Enrolment opens"), Number("C1", "45352", DateStyle)),
            ]));

        var pages = await Reading.ReadAsync("benefits.xlsx", xlsx);

        Reading.AssertPages(
            pages,
            (1, "# Costs\n\nPlan | Monthly cost | Vision\nStandard | 45.5 | FALSE\nPlus | 55 | TRUE"),
            (2, "# Dates\n\nEnrolment opens |  | 2024-03-01"));
    }

    [Fact]
    public async Task Read_XlsxWithAnEmptySheet_LeavesItOut()
    {
        var xlsx = Xlsx([], ("Empty", []), ("Data", [new Row(Inline("A1", "only row"))]));

        var pages = await Reading.ReadAsync("sparse.xlsx", xlsx);

        Reading.AssertPages(pages, (2, "# Data\n\nonly row"));
    }

    [Fact]
    public async Task Read_XlsxOverTheCellLimit_FailsAsTooLarge()
    {
        var rows = Enumerable.Range(1, 50).Select(i => new Row(Number($"A{i}", "1"), Number($"B{i}", "2"))).ToArray();
        var xlsx = Xlsx([], ("Big", rows));

        var failure = await Reading.FailureAsync("big.xlsx", xlsx, new DocumentReaderOptions { MaxSpreadsheetCells = 60 });

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
        Assert.Contains("60 cells", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_XlsxThatIsNotAZip_FailsAsCorrupt()
    {
        var failure = await Reading.FailureAsync("sheet.xlsx", "a,b,c\n1,2,3\n"u8.ToArray());

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.Equal("not a valid .xlsx (zip) file", failure.Reason);
    }

    private static byte[] Xlsx(string[] sharedStrings, params (string Name, Row[] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var sheetList = new Sheets();
            workbookPart.Workbook = new Workbook(sheetList);

            var strings = workbookPart.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable(sharedStrings.Select(text => new SharedStringItem(new Text(text))));

            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(new CellFormats(
                new CellFormat { NumberFormatId = 0 },
                new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }));

            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
                worksheetPart.Worksheet = new Worksheet(new SheetData(rows.Select(row => row.CloneNode(true))));
                sheetList.Append(new Sheet { Name = name, SheetId = sheetId++, Id = workbookPart.GetIdOfPart(worksheetPart) });
            }
        }

        return stream.ToArray();
    }

    private static Cell Shared(string reference, int index) =>
        new(new CellValue(index)) { CellReference = reference, DataType = CellValues.SharedString };

    private static Cell Inline(string reference, string text) =>
        new(new InlineString(new Text(text))) { CellReference = reference, DataType = CellValues.InlineString };

    private static Cell Number(string reference, string value, uint? style = null) =>
        new(new CellValue(value)) { CellReference = reference, StyleIndex = style is null ? null : (UInt32Value)style.Value };

    private static Cell Boolean(string reference, bool value) =>
        new(new CellValue(value ? "1" : "0")) { CellReference = reference, DataType = CellValues.Boolean };
}
