using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

public sealed class JsonDocumentReaderTests
{
    [Fact]
    public async Task Read_Json_GivesPathAndValueLines()
    {
        const string Json = """
            {
              "plan": { "name": "Northwind Plus", "monthly": 55.5, "vision": true, "dental": null },
              "tips": ["Check the network", "Keep receipts"],
              "contacts": [{ "team": "HR", "email": "hr@zava.example" }],
              "empty": {}
            }
            """;

        var text = await Reading.ReadTextAsync("plan.json", Json);

        Assert.Equal(
            """
            plan.name: Northwind Plus
            plan.monthly: 55.5
            plan.vision: true
            plan.dental: null
            tips[0]: Check the network
            tips[1]: Keep receipts
            contacts[0].team: HR
            contacts[0].email: hr@zava.example
            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public async Task Read_JsonWithByteOrderMarkAndEscapes_DecodesStrings()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"greeting":"caf\u00e9 \"quoted\"\nnext"}""")).ToArray();

        var text = await Reading.ReadTextAsync("escaped.json", bytes);

        Assert.Equal("greeting: café \"quoted\" next", text);
    }

    [Fact]
    public async Task Read_LargeJsonArray_StreamsAcrossBufferBoundaries()
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < 30_000; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append("{\"id\":").Append(i).Append(",\"title\":\"item number ").Append(i).Append("\"}");
        }

        json.Append(']');

        var pages = await Reading.ReadAsync("items.json", new ForwardOnlyStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString()))));

        Assert.True(pages.Count > 3, $"expected several blocks, got {pages.Count}");
        var lines = pages.SelectMany(page => page.Text.Split('\n')).ToList();
        Assert.Equal(60_000, lines.Count);
        Assert.Equal("[29999].title: item number 29999", lines[^1]);
        Assert.Equal("[12345].id: 12345", lines[24690]);
    }

    [Fact]
    public async Task Read_StringLargerThanTheReadBuffer_IsReadWhole()
    {
        var value = new string('a', 300_000);

        var pages = await Reading.ReadAsync("long.json", $$"""{"long":"{{value}}"}""");

        // A line longer than a block is cut into blocks; nothing is lost.
        Assert.True(pages.Count > 1);
        Assert.Equal("long: " + value, string.Concat(pages.Select(page => page.Text)));
    }

    [Theory]
    [InlineData("{\"a\": 1,,}")]
    [InlineData("{\"a\": [1, 2")]
    [InlineData("{\"a\": 1} trailing")]
    [InlineData("not json at all")]
    public async Task Read_InvalidJson_FailsAsCorrupt(string json)
    {
        var failure = await Reading.FailureAsync("bad.json", Encoding.UTF8.GetBytes(json));

        Assert.Equal(DocumentReadFailure.Corrupt, failure.Failure);
        Assert.Equal("the file is not valid JSON", failure.Reason);
    }

    [Fact]
    public async Task Read_DeeplyNestedJson_FailsAsTooLarge()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);

        var failure = await Reading.FailureAsync("deep.json", Encoding.UTF8.GetBytes(json));

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
        Assert.Contains("64 levels", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_JsonValueOverTheLimit_FailsAsTooLarge()
    {
        var json = $$"""{"huge":"{{new string('x', 100_000)}}"}""";

        var failure = await Reading.FailureAsync("huge.json", Encoding.UTF8.GetBytes(json), new DocumentReaderOptions { MaxJsonValueBytes = 70_000 });

        Assert.Equal(DocumentReadFailure.TooLarge, failure.Failure);
    }
}
