using System.Text.Json;
using Ragtune.Cli.Tests.Contract;

namespace Ragtune.Cli.Tests.Http;

/// <summary>
/// A citation names the section its chunk stands under (http-api.md: <c>"section": "Vacation &gt; Accrual"</c>), as JSON
/// and in the stream's <c>citations</c> event, over the sample documents a newcomer serves.
/// </summary>
public sealed class CitationSectionTests(SamplesServerFixture fixture) : IClassFixture<SamplesServerFixture>
{
    private const string Question = "Where is the frame serial number stamped for a warranty claim?";

    /// <summary>samples/warranty.md: "# Tidewater Cycles Warranty", then "## How to make a claim" above the serial number.</summary>
    private const string ClaimSection = "Tidewater Cycles Warranty > How to make a claim";

    [Fact]
    public async Task Ask_ChunkUnderHeadings_IsCitedWithItsHeadingPath()
    {
        var answer = await fixture.Client.AskAsync(new { question = Question });

        ApiShapes.AssertAnswer(answer);
        var citation = WarrantyCitationWithSerialNumber(answer.GetProperty("citations"));
        Assert.Equal(ClaimSection, citation.GetProperty("section").GetString());
    }

    [Fact]
    public async Task AskStreaming_CitationsEvent_CarriesTheSameSections()
    {
        var events = await ServerSentEvent.AskAsync(fixture.Client, new { question = Question });

        Assert.Equal("citations", events[0].Name);
        var citation = WarrantyCitationWithSerialNumber(events[0].Data.GetProperty("citations"));
        Assert.Equal(ClaimSection, citation.GetProperty("section").GetString());
    }

    private static JsonElement WarrantyCitationWithSerialNumber(JsonElement citations) =>
        Assert.Single(
            citations.EnumerateArray(),
            c => c.GetProperty("source").GetString() == "warranty.md"
                && c.GetProperty("text").GetString()!.Contains("serial number", StringComparison.Ordinal));
}
