using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>Fine-tune exports as folders: <see cref="DatasetWriter"/> over <see cref="DatasetFolderStore"/>.</summary>
public sealed class DatasetFolderStoreTests : IDisposable
{
    private const string First = "20261127T120000Z-01KBZ0000000000000000000AA";
    private const string Second = "20261127T130000Z-01KBZ0000000000000000000BB";
    private const string Third = "20261127T140000Z-01KBZ0000000000000000000CC";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Root_DefaultsToDatasetsInTheDataFolder_OrTheOutputDirectory()
    {
        Assert.Equal(_directory.Combine("data", "datasets"), Store().Root);
        Assert.Equal(_directory.Combine("elsewhere"), Store(_directory.Combine("elsewhere")).Root);
    }

    [Fact]
    public async Task Commit_WritesTheManifestLastAndMakesTheExportTheLatest()
    {
        var writer = Writer();
        await using (var export = await writer.BeginExportAsync(First))
        {
            await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
            Assert.Null(await writer.ReadLatestManifestAsync());
            await export.CommitAsync(DatasetExports.Manifest(First));
        }

        var folder = Path.Combine(Root, First);
        Assert.Equal(["manifest.json", "sft.train.jsonl"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("{}\n", await File.ReadAllTextAsync(Path.Combine(folder, "sft.train.jsonl")));
        Assert.Equal(First, (await writer.ReadLatestManifestAsync())!.Name);
        Assert.EndsWith("}\n", await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_WithoutCommit_RemovesTheExport()
    {
        var writer = Writer();
        await using (var export = await writer.BeginExportAsync(First))
        {
            await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
        }

        Assert.False(Directory.Exists(Path.Combine(Root, First)));
        Assert.Null(await writer.ReadLatestManifestAsync());
    }

    [Fact]
    public async Task ReadLatest_IgnoresExportsWithoutAManifest_AndTheNextExportRemovesThem()
    {
        var writer = Writer();
        await CommitAsync(writer, First);
        Directory.CreateDirectory(Path.Combine(Root, Second));
        await File.WriteAllTextAsync(Path.Combine(Root, Second, "sft.train.jsonl"), "{}\n");
        await File.WriteAllTextAsync(Path.Combine(Root, Second, "manifest.json.tmp"), "{");
        Directory.CreateDirectory(Path.Combine(Root, "not-an-export"));

        Assert.Equal(First, (await writer.ReadLatestManifestAsync())!.Name);

        await CommitAsync(writer, Third);
        Assert.False(Directory.Exists(Path.Combine(Root, Second)));
        Assert.True(Directory.Exists(Path.Combine(Root, "not-an-export")));
        Assert.Equal(Third, (await writer.ReadLatestManifestAsync())!.Name);
    }

    [Fact]
    public async Task Begin_WhileAnotherExportRuns_IsBusy()
    {
        var writer = Writer();
        await using var running = await writer.BeginExportAsync(First);

        await Assert.ThrowsAsync<DatasetExportBusyException>(() => Writer().BeginExportAsync(Second));
    }

    [Theory]
    [InlineData("../escape.jsonl")]
    [InlineData("manifest.json")]
    [InlineData("sft.train.jsonl.tmp")]
    public async Task CreateFile_OutsideTheExportOrTheManifest_IsRefused(string fileName)
    {
        await using var export = await Writer().BeginExportAsync(First);

        await Assert.ThrowsAsync<ArgumentException>(() => export.CreateFileAsync(fileName));
    }

    [Fact]
    public async Task Begin_NameThatIsNotAnExportName_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Writer().BeginExportAsync("../x"));
    }

    private string Root => Store().Root;

    private DatasetFolderStore Store(string? output = null) =>
        new(
            Options.Create(new DatasetFolderOptions { OutputDirectory = output }),
            Options.Create(new SqliteStorageOptions { DataDirectory = _directory.Combine("data") }));

    private DatasetWriter Writer(string? output = null) => new(Store(output), NullLogger<DatasetWriter>.Instance);

    private static async Task CommitAsync(DatasetWriter writer, string name)
    {
        await using var export = await writer.BeginExportAsync(name);
        await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
        await export.CommitAsync(DatasetExports.Manifest(name));
    }
}
