using System.Text;
using Microsoft.Extensions.Logging;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Tests.Fakes;
using Ragtune.Testing;
using Ragtune.Testing.Logging;

namespace Ragtune.Core.Tests.FineTuning;

/// <summary>
/// The export protocol, once for every store: names checked, the lock taken before anything is removed or written,
/// exports without a manifest invisible and removed by the next export, the manifest written last.
/// </summary>
public sealed class DatasetWriterTests
{
    private const string First = "20261127T120000Z-01KBZ0000000000000000000AA";
    private const string Second = "20261127T130000Z-01KBZ0000000000000000000BB";
    private const string Third = "20261127T140000Z-01KBZ0000000000000000000CC";

    private readonly InMemoryDatasetStore _store = new();
    private readonly CapturingLoggerProvider _logs = new(LogLevel.Information);
    private readonly DatasetWriter _writer;

    public DatasetWriterTests() => _writer = new DatasetWriter(_store, _logs.CreateLogger<DatasetWriter>());

    [Theory]
    [InlineData("../x")]
    [InlineData("20261127T120000Z")]
    [InlineData("20261127T120000Z-01KBZ0000000000000000000AA/..")]
    public async Task Begin_NameThatIsNotAnExportName_IsRefusedBeforeTheStoreIsTouched(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _writer.BeginExportAsync(name));

        Assert.Empty(_store.Journal);
    }

    [Fact]
    public async Task Commit_WritesTheManifestLast_NamingEveryDataFile_ThenReleasesTheLock()
    {
        await using (var export = await _writer.BeginExportAsync(First))
        {
            await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
            await DatasetExports.WriteAsync(export, "dpo.train.jsonl", "{}\n");
            Assert.Null(await _writer.ReadLatestManifestAsync());
            await export.CommitAsync(DatasetExports.Manifest(First));
            Assert.Equal($"memory://datasets/{First}", export.Location);
        }

        var writes = _store.Journal.Where(entry => entry is "lock" or "unlock" || entry.StartsWith("create", StringComparison.Ordinal) || entry.StartsWith("manifest", StringComparison.Ordinal));
        Assert.Equal(["lock", $"create {First}/sft.train.jsonl", $"create {First}/dpo.train.jsonl", $"manifest {First} [sft.train.jsonl, dpo.train.jsonl]", "unlock"], writes);
        Assert.Equal(First, (await _writer.ReadLatestManifestAsync())!.Name);
        Assert.False(_store.IsLocked);
    }

    [Fact]
    public async Task ReadLatest_IsTheNewestExportWithAManifest_AndIgnoresEverythingElse()
    {
        await CommitAsync(First);
        await CommitAsync(Second);
        _store.Put(Third, "sft.train.jsonl", Encoding.UTF8.GetBytes("{}\n"));
        _store.Put("zz-not-an-export", DatasetManifest.FileName, DatasetExports.Manifest(Third).ToUtf8Bytes());

        var latest = await _writer.ReadLatestManifestAsync();

        Assert.Equal(Second, latest!.Name);
        Assert.DoesNotContain(_store.Journal, entry => entry.Contains("zz-not-an-export", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadLatest_OfAnEmptyStore_IsNull() => Assert.Null(await _writer.ReadLatestManifestAsync());

    [Fact]
    public async Task Begin_RemovesExportsWithoutAManifest_UnderTheLock_AndKeepsTheRest()
    {
        await CommitAsync(First);
        _store.Put(Second, "sft.train.jsonl", Encoding.UTF8.GetBytes("{}\n"));
        _store.Put("not-an-export", "notes.txt", []);

        await using (await _writer.BeginExportAsync(Third))
        {
            var journal = _store.Journal.ToList();
            Assert.True(journal.LastIndexOf("lock") < journal.IndexOf($"delete {Second}"), "the leftover is removed under the lock");
        }

        Assert.False(_store.Contains(Second));
        Assert.Equal([DatasetManifest.FileName, "sft.train.jsonl"], _store.FilesOf(First));
        Assert.True(_store.Contains("not-an-export"));
        Assert.DoesNotContain($"delete {First}", _store.Journal);
        Assert.Contains(_logs.Entries, log => log.EventId.Id == 1304 && log.Text.Contains(Second, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Begin_WhileAnotherExportRuns_IsBusy_RemovesNothing_AndIsFreeAgainAfterIt()
    {
        _store.Put(Second, "sft.train.jsonl", Encoding.UTF8.GetBytes("{}\n"));
        await using (await _writer.BeginExportAsync(First))
        {
            _store.Put(Third, "sft.train.jsonl", Encoding.UTF8.GetBytes("{}\n"));

            await Assert.ThrowsAsync<DatasetExportBusyException>(() => _writer.BeginExportAsync(Second));
            Assert.True(_store.Contains(Third), "a refused export removes nothing");
        }

        await using var next = await _writer.BeginExportAsync(Second);
        Assert.Equal(Second, next.Name);
    }

    [Fact]
    public async Task Begin_WhenTheStoreFailsAfterTheLock_ReleasesTheLock()
    {
        _store.ListFailure = new IOException("The store is gone.");

        await Assert.ThrowsAsync<IOException>(() => _writer.BeginExportAsync(First));

        Assert.False(_store.IsLocked);
        Assert.Equal("unlock", _store.Journal[^1]);
    }

    [Fact]
    public async Task Dispose_WithoutCommit_RemovesWhatWasWritten_AndReleasesTheLock()
    {
        await using (var export = await _writer.BeginExportAsync(First))
        {
            await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
        }

        Assert.False(_store.Contains(First));
        Assert.Equal([$"delete {First}", "unlock"], _store.Journal.TakeLast(2));
        Assert.Null(await _writer.ReadLatestManifestAsync());
    }

    [Fact]
    public async Task Dispose_WhenTheRemovalFails_LogsIt_LeavesTheExportInvisible_AndReleasesTheLock()
    {
        var export = await _writer.BeginExportAsync(First);
        await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
        _store.DeleteFailure = new IOException("Permission denied.");

        await export.DisposeAsync();

        Assert.False(_store.IsLocked);
        Assert.True(_store.Contains(First));
        Assert.Null(await _writer.ReadLatestManifestAsync());
        Assert.Contains(_logs.Entries, log => log.EventId.Id == 1305 && log.Level == LogLevel.Warning && log.Text.Contains(First, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commit_Twice_IsRefused()
    {
        await using var export = await _writer.BeginExportAsync(First);
        await export.CommitAsync(DatasetExports.Manifest(First));

        await Assert.ThrowsAsync<InvalidOperationException>(() => export.CommitAsync(DatasetExports.Manifest(First)));
    }

    [Theory]
    [InlineData("../escape.jsonl")]
    [InlineData("nested/file.jsonl")]
    [InlineData("manifest.json")]
    [InlineData("sft.train.jsonl.tmp")]
    public async Task CreateFile_OutsideTheExport_TheManifestOrATemporaryName_IsRefused(string fileName)
    {
        await using var export = await _writer.BeginExportAsync(First);

        await Assert.ThrowsAsync<ArgumentException>(() => export.CreateFileAsync(fileName));
        Assert.DoesNotContain(_store.Journal, entry => entry.StartsWith("create", StringComparison.Ordinal));
    }

    private async Task CommitAsync(string name)
    {
        await using var export = await _writer.BeginExportAsync(name);
        await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{}\n");
        await export.CommitAsync(DatasetExports.Manifest(name));
    }
}
