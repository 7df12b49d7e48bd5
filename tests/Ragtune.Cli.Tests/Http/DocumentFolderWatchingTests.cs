using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Http;

/// <summary><c>ragtune serve</c> follows its documents folder: added, changed, deleted, written in steps and corrupt files.</summary>
public sealed class DocumentFolderWatchingTests(WatchedFolderFixture fixture) : IClassFixture<WatchedFolderFixture>
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

    /// <summary>
    /// End to end, a file written in two steps is answered with what it says at the end. That the watcher never reads it
    /// half-written, however slow the machine, is DocumentFolderWatcherDebounceTests' (Ragtune.Embedded.Tests), on a fake clock.
    /// </summary>
    [Fact]
    public async Task FileWrittenInTwoSteps_IsAnsweredWithItsFinalContent()
    {
        const string Source = "archive.md";
        var path = fixture.Documents.Combine(Source);

        await File.AppendAllTextAsync(path, "# Archive\n\nThe Tollbridge archive keeps signed contracts for");
        await File.AppendAllTextAsync(path, " exactly seventeen years before they are shredded.\n");
        await fixture.IndexedAsync(Source);

        var citation = Assert.Single(await fixture.CitationsAsync("How long does the Tollbridge archive keep signed contracts?"), c => c.Source == Source);
        Assert.Contains("seventeen years before they are shredded", citation.Text, StringComparison.Ordinal);
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
