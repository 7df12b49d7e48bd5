using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Ragtune.Testing;
using Xunit.Abstractions;

namespace Ragtune.Cli.Tests.Http;

/// <summary><c>ragtune serve</c> follows its documents folder: added, changed, deleted, slowly written and corrupt files.</summary>
public sealed class DocumentFolderWatchingTests(WatchedFolderFixture fixture, ITestOutputHelper output) : IClassFixture<WatchedFolderFixture>
{
    [Fact]
    public async Task AddedFile_IsAnswered()
    {
        const string Question = "Who is the keeper of the Quibbleton lighthouse?";
        Assert.DoesNotContain(await fixture.CitationsAsync(Question), c => c.Source == "lighthouse.md");

        fixture.Documents.WriteFile("lighthouse.md", "# Lighthouse\n\nThe keeper of the Quibbleton lighthouse is Ottoline Brask, who has lit the lamp every night since 1987.\n");
        await fixture.IndexedAsync("lighthouse.md");

        Assert.Contains(await fixture.CitationsAsync(Question), c => c.Source == "lighthouse.md" && c.Text.Contains("Ottoline Brask", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangedFile_AnswersTheNewFactAndNoLongerTheOld()
    {
        const string OldQuestion = "When does the Marrowgate cafeteria serve lunch?";
        const string NewQuestion = "What meal allowance do staff get while the Marrowgate cafeteria is closed?";
        fixture.Documents.WriteFile("cafeteria.md", "# Cafeteria\n\nThe Marrowgate cafeteria serves lunch from 11:30 until 14:00 on weekdays.\n");
        await fixture.IndexedAsync("cafeteria.md");
        Assert.Contains(await fixture.CitationsAsync(OldQuestion), c => c.Source == "cafeteria.md" && c.Text.Contains("11:30", StringComparison.Ordinal));

        fixture.Documents.WriteFile("cafeteria.md", "# Cafeteria\n\nThe Marrowgate cafeteria is closed for renovation; staff receive a meal allowance of twelve euros per day instead.\n");
        await fixture.IndexedAsync("cafeteria.md");

        Assert.Contains(await fixture.CitationsAsync(NewQuestion), c => c.Source == "cafeteria.md" && c.Text.Contains("twelve euros", StringComparison.Ordinal));
        Assert.DoesNotContain(await fixture.CitationsAsync(OldQuestion), c => c.Text.Contains("11:30", StringComparison.Ordinal));
        Assert.Equal(1, (await fixture.DocumentsAsync())["cafeteria.md"].GetProperty("chunks").GetInt32());
    }

    [Fact]
    public async Task DeletedFile_LosesItsChunks()
    {
        const string Question = "How many visitor spaces does the Fennick parking garage have?";
        var path = fixture.Documents.WriteFile("parking.md", "# Parking\n\nThe Fennick parking garage has 240 spaces reserved for visitors on level three.\n");
        await fixture.IndexedAsync("parking.md");
        Assert.Contains(await fixture.CitationsAsync(Question), c => c.Source == "parking.md");

        File.Delete(path);
        await Eventually.HoldsAsync(async () => !(await fixture.DocumentsAsync()).ContainsKey("parking.md"), WatchedFolderFixture.Within, "parking.md is no longer listed");

        Assert.DoesNotContain(await fixture.CitationsAsync(Question), c => c.Source == "parking.md" || c.Text.Contains("Fennick", StringComparison.Ordinal));
        Assert.Contains("seed.md", await fixture.DocumentsAsync());
    }

    [Fact]
    public async Task SlowlyWrittenFile_IsReadOnlyOnceComplete()
    {
        const string Source = "archive.md";
        const string FirstHalf = "# Archive\n\nThe Tollbridge archive keeps signed contracts for";
        const string SecondHalf = " exactly seventeen years before they are shredded.\n";
        var path = fixture.Documents.Combine(Source);
        var complete = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(FirstHalf + SecondHalf)));

        // Watch the catalog from before the first byte is written: every content hash it ever shows for the file.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if ((await fixture.DocumentsAsync()).TryGetValue(Source, out var document))
                {
                    seen.Add(document.GetProperty("contentHash").GetString()!);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }
        });

        var pause = Stopwatch.StartNew();
        await File.AppendAllTextAsync(path, FirstHalf);
        await Task.Delay(WatchedFolderFixture.Debounce / 5); // the writer's pace, well inside the debounce
        await File.AppendAllTextAsync(path, SecondHalf);
        var gap = pause.Elapsed;
        await fixture.IndexedAsync(Source);
        await stop.CancelAsync();
        await watching;
        if ((await fixture.DocumentsAsync()).TryGetValue(Source, out var indexed))
        {
            // The watcher may have stopped before its next look: the content that was indexed is seen too.
            seen.Add(indexed.GetProperty("contentHash").GetString()!);
        }

        var citation = Assert.Single(await fixture.CitationsAsync("How long does the Tollbridge archive keep signed contracts?"), c => c.Source == Source);
        Assert.Contains("seventeen years before they are shredded", citation.Text, StringComparison.Ordinal);
        if (gap < WatchedFolderFixture.Debounce)
        {
            Assert.Equal([complete], seen);
        }
        else
        {
            // The machine stalled for longer than the debounce between the two writes: reading the half file was right.
            output.WriteLine($"The writes were {gap.TotalMilliseconds:N0} ms apart, over the debounce; only the final content is checked.");
        }
    }

    [Fact]
    public async Task CorruptFile_IsListedAsFailedWithItsReason()
    {
        var bytes = new byte[4096];
        new Random(20261127).NextBytes(bytes);
        fixture.Documents.WriteFile("scanned.pdf", bytes);

        await Eventually.HoldsAsync(
            async () => (await fixture.DocumentsAsync()).TryGetValue("scanned.pdf", out var document) && document.GetProperty("status").GetString() == "failed",
            WatchedFolderFixture.Within,
            "scanned.pdf is listed as failed");

        var documents = await fixture.DocumentsAsync();
        Assert.Equal("not a PDF file", documents["scanned.pdf"].GetProperty("error").GetString());
        Assert.Equal(0, documents["scanned.pdf"].GetProperty("chunks").GetInt32());
        Assert.Equal("indexed", documents["seed.md"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task RenamedFile_IsFoundUnderItsNewNameOnly()
    {
        const string Question = "Which colour are the Dunmore bicycle racks painted?";
        var path = fixture.Documents.WriteFile("racks.md", "# Racks\n\nThe Dunmore bicycle racks are painted bright orange so that riders can find them at night.\n");
        await fixture.IndexedAsync("racks.md");

        File.Move(path, fixture.Documents.Combine("bicycle-racks.md"));
        await fixture.IndexedAsync("bicycle-racks.md");
        await Eventually.HoldsAsync(async () => !(await fixture.DocumentsAsync()).ContainsKey("racks.md"), WatchedFolderFixture.Within, "racks.md is no longer listed");

        var sources = (await fixture.CitationsAsync(Question)).Select(c => c.Source).ToList();
        Assert.Contains("bicycle-racks.md", sources);
        Assert.DoesNotContain("racks.md", sources);
    }

    [Fact]
    public async Task FileWithAccessGroups_IsHiddenFromCallersOutsideThem()
    {
        const string Question = "What bonus did the Harrowfield board approve?";
        fixture.Documents.WriteFile("minutes.md.acl.json", "{\"groups\": [\"board\"]}");
        fixture.Documents.WriteFile("minutes.md", "# Minutes\n\nThe Harrowfield board approved a bonus of four percent for every employee this year.\n");
        await fixture.IndexedAsync("minutes.md", fixture.BoardMember);

        Assert.Equal(["board"], (await fixture.DocumentsAsync(fixture.BoardMember))["minutes.md"].GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Contains(await fixture.CitationsAsync(Question, fixture.BoardMember), c => c.Source == "minutes.md");
        Assert.DoesNotContain("minutes.md", await fixture.DocumentsAsync());
        Assert.DoesNotContain(await fixture.CitationsAsync(Question), c => c.Source == "minutes.md" || c.Text.Contains("Harrowfield", StringComparison.Ordinal));
    }
}
