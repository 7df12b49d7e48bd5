using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.FineTuning;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Index;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;
using Spectre.Console;

namespace Ragtune.Cli.Tests.FineTuning;

public sealed class ExportScheduleTests
{
    [Fact]
    public async Task Serve_WithAScheduleThatIsNotCron_FailsAtStartWithAUsageError()
    {
        using var directory = new TempDirectory();
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });

        var exitCode = await RagtuneCommandLine.RunAsync(
            ["serve", "--docs", directory.Combine("docs"), "--data", directory.Combine("data"), "--urls", "http://127.0.0.1:0", "--Ragtune:FineTuning:Schedule=every day"],
            console);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("Ragtune:FineTuning:Schedule", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_WhenDue_RunsTheExport()
    {
        using var directory = new TempDirectory();
        var storage = Options.Create(new SqliteStorageOptions { DataDirectory = directory.Combine("data") });
        using var database = new SqliteDatabase(storage, NullLogger<SqliteDatabase>.Instance);
        var store = new SqliteInteractionStore(database);
        var interaction = new Interaction(
            AnswerId.New(TimeProvider.System), DateTimeOffset.UtcNow, "How long is the warranty?", [], "How long is the warranty?", SearchMode.Hybrid, 0.3f, [],
            [new PromptMessage("system", "Answer from the documents."), new PromptMessage("user", "Question: How long is the warranty?")],
            "v1", "extractive", "Two years [1].", true, TokenUsage.None, new AnswerTimings(1, 1), []);
        await store.RecordAsync(interaction);
        await new FeedbackRecorder(store, TimeProvider.System).RateAsync(new FeedbackSubmission(interaction.AnswerId, FeedbackRating.Up, null, null), AccessScope.Unrestricted);
        var options = Options.Create(new FineTuningOptions { Schedule = "* * * * * *", MinTrainingExamples = 1, ValidationPercent = 0 });
        var writer = new DatasetWriter(new DatasetFolderStore(Options.Create(new DatasetFolderOptions()), storage), NullLogger<DatasetWriter>.Instance);
        var exporter = new DatasetExporter(store, new SqliteDocumentCatalog(database), writer, options, TimeProvider.System, NullLogger<DatasetExporter>.Instance);
        using var schedule = new ExportSchedule(exporter, options, TimeProvider.System, NullLogger<ExportSchedule>.Instance);

        await schedule.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(async () => await writer.ReadLatestManifestAsync() is not null, TimeSpan.FromSeconds(30), "the every-second schedule exported");
        }
        finally
        {
            await schedule.StopAsync(CancellationToken.None);
        }

        var manifest = (await writer.ReadLatestManifestAsync())!;
        Assert.Equal(DatasetStatus.Complete, manifest.Status);
        Assert.Equal(1, manifest.Datasets["sft"].Train);
    }
}
