using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.FineTuning;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Index;
using Ragtune.Core;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Storage;
using Ragtune.Testing;
using Ragtune.Testing.Logging;
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
    public async Task Schedule_WhenDue_RunsTheExport_AtTheDefaultsTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var due = new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
        var logs = new CapturingLoggerProvider(LogLevel.Information);
        using var directory = new TempDirectory();
        var storage = Options.Create(new SqliteStorageOptions { DataDirectory = directory.Combine("data") });
        using var database = new SqliteDatabase(storage, NullLogger<SqliteDatabase>.Instance);
        using var ratings = new RatingsDatabase(storage, NullLogger<SqliteDatabase>.Instance);
        var store = new SqliteInteractionStore(ratings);
        var interaction = new Interaction(
            Ulid.New(time), time.GetUtcNow(), "How long is the warranty?", [], "How long is the warranty?", SearchMode.Hybrid, 0.3f, [],
            [new PromptMessage("system", "Answer from the documents."), new PromptMessage("user", "Question: How long is the warranty?")],
            "v1", "extractive", "Two years [1].", true, TokenUsage.None, new AnswerTimings(1, 1), []);
        await store.RecordAsync(interaction);
        await new FeedbackRecorder(store, time).RateAsync(new FeedbackSubmission(interaction.AnswerId, FeedbackRating.Up, null, null), AccessScope.Unrestricted);
        var options = Options.Create(new FineTuningOptions { MinTrainingExamples = 1, ValidationPercent = 0 });
        var writer = new DatasetWriter(new DatasetFolderStore(Options.Create(new DatasetFolderOptions()), storage), NullLogger<DatasetWriter>.Instance);
        var exporter = new DatasetExporter(store, new SqliteDocumentCatalog(database), writer, options, time, NullLogger<DatasetExporter>.Instance);
        using var schedule = new ExportSchedule(exporter, options, time, logs.CreateLogger<ExportSchedule>());

        await schedule.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.EventId.Id == 7002), TimeSpan.FromSeconds(30), "the schedule waits for its next run");
            Assert.Contains(due.ToString("O", CultureInfo.InvariantCulture), logs.Entries.Single(e => e.EventId.Id == 7002).Text, StringComparison.Ordinal);
            Assert.Null(await writer.ReadLatestManifestAsync());

            time.SetUtcNow(due);
            await Eventually.HoldsAsync(async () => await writer.ReadLatestManifestAsync() is not null, TimeSpan.FromSeconds(30), "the schedule exported at 03:00");
        }
        finally
        {
            await schedule.StopAsync(CancellationToken.None);
        }

        var manifest = (await writer.ReadLatestManifestAsync())!;
        Assert.Equal(DatasetStatus.Complete, manifest.Status);
        Assert.Equal(1, manifest.Datasets["sft"].Train);
        Assert.Equal(due, manifest.CreatedAt);
    }
}
