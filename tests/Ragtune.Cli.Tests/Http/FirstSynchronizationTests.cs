using System.Globalization;
using System.Text;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Http;

/// <summary>The first ingestion of <c>ragtune serve</c> and the watching that follows it leave no gap between them.</summary>
public sealed class FirstSynchronizationTests : IDisposable
{
    private readonly TempDirectory _documents = new();
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task FileAddedDuringTheFirstSynchronization_IsIngested()
    {
        // One document at a time, in source order: a-first.md is done long before b-long.md (about 60 chunks).
        _documents.WriteFile("a-first.md", "# First\n\nThe Wexley depot ships orders every Tuesday and Friday.\n");
        _documents.WriteFile("b-long.md", LongDocument(paragraphs: 60));
        await using var server = await RunningServer.StartAsync(
            _documents.Path, _data.Path, "--Ragtune:Ingestion:MaxConcurrentDocuments=1", "--Ragtune:Documents:Debounce=00:00:00.300");
        await Eventually.HoldsAsync(async () => (await server.Client.ListDocumentsAsync()).ContainsKey("a-first.md"), WatchedFolderFixture.Within, "a-first.md is ingested");
        Assert.False(server.FirstSynchronization.IsCompleted, "The first synchronization should still be ingesting b-long.md.");

        _documents.WriteFile("c-added.md", "# Added\n\nThe Wexley depot closes for stocktaking on the last day of March.\n");
        await server.FirstSynchronization;

        // Well within the periodic resynchronisation (five minutes), which would find the file anyway.
        await Eventually.HoldsAsync(async () => (await server.Client.ListDocumentsAsync()).ContainsKey("c-added.md"), WatchedFolderFixture.Within, "c-added.md is ingested");
    }

    public void Dispose()
    {
        _documents.Dispose();
        _data.Dispose();
    }

    private static string LongDocument(int paragraphs)
    {
        var text = new StringBuilder("# Inventory\n\n");
        for (var i = 1; i <= paragraphs; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Shelf {i} of the Wexley depot holds crates of part number {i * 7919 % 10007}. ");
            for (var sentence = 0; sentence < 12; sentence++)
            {
                text.Append(CultureInfo.InvariantCulture, $"Crate {i}-{sentence} was counted on day {(i * 31 + sentence) % 28 + 1} and weighs {(i * 13 + sentence * 17) % 90 + 10} kilograms, packed by team {(char)('A' + (i + sentence) % 26)}. ");
            }

            text.Append("\n\n");
        }

        return text.ToString();
    }
}
