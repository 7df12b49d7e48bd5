using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class CsvDocumentReaderTests
{
    [Theory]
    [InlineData(
        "Plan,Monthly cost,Notes\r\nStandard,$45,\r\nPlus,$55,Includes vision\r\n",
        "Plan: Standard; Monthly cost: $45\nPlan: Plus; Monthly cost: $55; Notes: Includes vision")]
    [InlineData(
        "name,quote,address\n\"Smith, Jane\",\"She said \"\"yes\"\"\",\"1 Main St\nSpringfield\"\nLee,plain,\"\"\n",
        "name: Smith, Jane; quote: She said \"yes\"; address: 1 Main St Springfield\nname: Lee; quote: plain")]
    [InlineData("Produkt;Preis\nKaffee;2,50\n", "Produkt: Kaffee; Preis: 2,50")]
    [InlineData("a\tb\n1\t2", "a: 1; b: 2")]
    [InlineData("a,b\n1,2,3\n", "a: 1; b: 2; column 3: 3")]
    [InlineData("a,b\r1,2\r\r3,4\r", "a: 1; b: 2\na: 3; b: 4")]
    public async Task Read_Csv_DescribesEachRowByItsHeaders(string csv, string expected)
    {
        var text = await Reading.ReadTextAsync("table.csv", csv);

        Assert.Equal(expected, text);
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
        Assert.All(pages.Select(page => page.Text.Length), length => Assert.True(length <= new DocumentReaderOptions().BlockCharacters));
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
