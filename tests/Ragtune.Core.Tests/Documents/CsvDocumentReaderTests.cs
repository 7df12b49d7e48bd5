using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class CsvDocumentReaderTests
{
    [Fact]
    public async Task Read_Csv_DescribesEachRowByItsHeaders()
    {
        const string Csv = "Plan,Monthly cost,Notes\r\nStandard,$45,\r\nPlus,$55,Includes vision\r\n";

        var text = await Reading.ReadTextAsync("plans.csv", Csv);

        Assert.Equal("Plan: Standard; Monthly cost: $45\nPlan: Plus; Monthly cost: $55; Notes: Includes vision", text);
    }

    [Fact]
    public async Task Read_CsvWithQuotedFields_FollowsRfc4180()
    {
        const string Csv = "name,quote,address\n\"Smith, Jane\",\"She said \"\"yes\"\"\",\"1 Main St\nSpringfield\"\nLee,plain,\"\"\n";

        var text = await Reading.ReadTextAsync("people.csv", Csv);

        Assert.Equal("name: Smith, Jane; quote: She said \"yes\"; address: 1 Main St Springfield\nname: Lee; quote: plain", text);
    }

    [Fact]
    public async Task Read_CsvWithSemicolons_DetectsTheDelimiter()
    {
        const string Csv = "Produkt;Preis\nKaffee;2,50\n";

        var text = await Reading.ReadTextAsync("preise.csv", Csv);

        Assert.Equal("Produkt: Kaffee; Preis: 2,50", text);
    }

    [Fact]
    public async Task Read_RowWithMoreFieldsThanHeaders_NamesTheExtraColumns()
    {
        var text = await Reading.ReadTextAsync("ragged.csv", "a,b\n1,2,3\n");

        Assert.Equal("a: 1; b: 2; column 3: 3", text);
    }

    [Fact]
    public async Task Read_LargeCsv_StreamsInBlocksOfWholeRows()
    {
        var csv = new StringBuilder("id,description\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append(i).Append(",\"row number ").Append(i).Append(", described\"\n");
        }

        var pages = await Reading.ReadAsync("rows.csv", new ForwardOnlyStream(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()))));

        Assert.True(pages.Count > 3, $"expected several blocks, got {pages.Count}");
        Assert.All(pages.Select(page => page.Text.Length), length => Assert.True(length <= 64 * 1024));
        var lines = pages.SelectMany(page => page.Text.Split('\n')).ToList();
        Assert.Equal(20_000, lines.Count);
        Assert.Equal("id: 12345; description: row number 12345, described", lines[12345]);
    }

    [Fact]
    public async Task Read_CsvWithUnclosedQuote_FailsAsTooLargeInsteadOfReadingForever()
    {
        var csv = "a,b\n1,\"never closed" + new string('x', 5000);

        var failure = await Reading.FailureAsync("open.csv", Encoding.UTF8.GetBytes(csv), new DocumentReaderOptions { MaxCsvRecordCharacters = 2048 });

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
    }

    [Fact]
    public async Task Read_CsvInWindows1252_FailsAsInvalidEncoding()
    {
        var failure = await Reading.FailureAsync("legacy.csv", Encoding.Latin1.GetBytes("name,city\nJosé,Zürich\n"));

        Assert.Equal(DocumentReadFailure.InvalidEncoding, failure.Failure);
    }

    [Fact]
    public async Task Read_CsvWithOnlyAHeader_FailsAsEmpty()
    {
        var failure = await Reading.FailureAsync("header.csv", "a,b,c\n"u8.ToArray());

        Assert.Equal(DocumentReadFailure.Empty, failure.Failure);
    }
}
