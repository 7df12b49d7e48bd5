using System.Text;
using Ragtune.Core.FineTuning;
using Xunit;

namespace Ragtune.Testing.Contracts;

/// <summary>
/// What every <see cref="IDatasetWriter"/> does with the files of finished exports (a tuning run reads them and writes
/// its report beside them): derive, give a writer over an empty place of the test's own, and run.
/// </summary>
public abstract class DatasetWriterFilesContract
{
    private const string First = "20261127T120000Z-01KBZ0000000000000000000AA";
    private const string Second = "20261127T130000Z-01KBZ0000000000000000000BB";
    private const string Report = "tuning-report.sft.json";

    protected abstract IDatasetWriter Writer { get; }

    [Fact]
    public async Task ListExports_NamesOnlyExportsWithAManifest_InTimeOrder()
    {
        await ExportAsync(Second);
        await ExportAsync(First);
        await using (var abandoned = await Writer.BeginExportAsync("20261127T140000Z-01KBZ0000000000000000000CC"))
        {
            await DatasetExports.WriteAsync(abandoned, "sft.train.jsonl", "{}\n");
        }

        Assert.Equal([First, Second], await Writer.ListExportsAsync());
    }

    [Fact]
    public async Task ReadFile_ReturnsADataFileAsWritten_AndNullForAFileOrExportThatIsNotThere()
    {
        await ExportAsync(First);

        Assert.Equal("{\"a\":1}\n", Encoding.UTF8.GetString((await Writer.ReadFileAsync(First, "sft.train.jsonl"))!));
        Assert.Equal(First, (await DatasetManifest.ReadAsync(new MemoryStream((await Writer.ReadFileAsync(First, DatasetManifest.FileName))!))).Name);
        Assert.Null(await Writer.ReadFileAsync(First, "dpo.train.jsonl"));
        Assert.Null(await Writer.ReadFileAsync(Second, "sft.train.jsonl"));
    }

    [Fact]
    public async Task WriteFile_PutsAReportBesideTheExport_AndReplacesIt()
    {
        await ExportAsync(First);

        await Writer.WriteFileAsync(First, Report, "{\"v\":1}"u8.ToArray());
        await Writer.WriteFileAsync(First, Report, "{\"v\":2}"u8.ToArray());

        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString((await Writer.ReadFileAsync(First, Report))!));
        Assert.Equal(First, (await Writer.ReadLatestManifestAsync())!.Name);
        Assert.Equal([First], await Writer.ListExportsAsync());
    }

    [Theory]
    [InlineData(DatasetManifest.FileName)]
    [InlineData("sft.train.jsonl")]
    [InlineData("../elsewhere.json")]
    public async Task WriteFile_NeverAnExportsOwnFileOrOutsideIt(string fileName)
    {
        await ExportAsync(First);

        await Assert.ThrowsAsync<ArgumentException>(() => Writer.WriteFileAsync(First, fileName, "{}"u8.ToArray()));
        Assert.Equal("{\"a\":1}\n", Encoding.UTF8.GetString((await Writer.ReadFileAsync(First, "sft.train.jsonl"))!));
    }

    [Fact]
    public async Task WriteFile_BesideAnExportThatIsNotThere_IsAnError()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Writer.WriteFileAsync(First, Report, "{}"u8.ToArray()));
    }

    private async Task ExportAsync(string name)
    {
        await using var export = await Writer.BeginExportAsync(name);
        await DatasetExports.WriteAsync(export, "sft.train.jsonl", "{\"a\":1}\n");
        await export.CommitAsync(DatasetExports.Manifest(name));
    }
}
