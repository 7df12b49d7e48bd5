using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ragtune.Core.Answering;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Tests.Fakes;

namespace Ragtune.Core.Tests.FineTuning;

public sealed class DatasetExporterTests
{
    private readonly RatedAnswers _answers = new();

    [Fact]
    public async Task Export_UpRatedAnswer_IsAnSftExampleOfThePromptAsSentAndTheAnswer()
    {
        var history = new List<ChatTurn> { new(ChatTurn.User, "Which bike?"), new(ChatTurn.Assistant, "The Tidewater.") };
        var answer = await _answers.AnswerAsync("How long is the warranty?", "Two years [1].", history: history);
        await _answers.RateAsync(answer, FeedbackRating.Up);

        var result = await _answers.Exporter().ExportAsync();

        Assert.Equal(DatasetExportOutcome.Exported, result.Outcome);
        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Empty(Lines(export.File(DatasetExportRunNames.Excluded)));
        var line = Assert.Single(AllExamples(export, "sft"));
        var messages = line.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString())).ToList();
        Assert.Equal([.. answer.Prompt.Select(m => ((string?)m.Role, (string?)m.Content)), ("assistant", "Two years [1].")], messages);
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], messages.Select(m => m.Item1));
        Assert.DoesNotContain(export.Files.Keys, f => f.StartsWith("dpo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_UngroundedAnswer_KeepsTheEmptyContextPrompt()
    {
        var answer = await _answers.AnswerAsync("What is the capital of France?", "The documents do not cover this question.", grounded: false);
        await _answers.RateAsync(answer, FeedbackRating.Up);

        await _answers.Exporter().ExportAsync();

        var line = Assert.Single(AllExamples(Assert.Single(_answers.Writer.Committed), "sft"));
        Assert.Contains("(no passage of the documents matches the question)", line.GetProperty("messages")[1].GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_DownRatedWithCorrection_IsAnSftExampleOfTheCorrectionAndADpoPair()
    {
        var answer = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(answer, FeedbackRating.Down, "Two years [1].");

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        var sft = Assert.Single(AllExamples(export, "sft"));
        Assert.Equal("Two years [1].", sft.GetProperty("messages")[2].GetProperty("content").GetString());
        var dpo = Assert.Single(AllExamples(export, "dpo"));
        Assert.Equal(answer.Prompt.Select(m => m.Content), dpo.GetProperty("input").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("content").GetString()));
        Assert.Equal("Two years [1].", Assert.Single(dpo.GetProperty("preferred_output").EnumerateArray()).GetProperty("content").GetString());
        Assert.Equal("One year.", Assert.Single(dpo.GetProperty("non_preferred_output").EnumerateArray()).GetProperty("content").GetString());
        Assert.All(dpo.GetProperty("preferred_output").EnumerateArray().Concat(dpo.GetProperty("non_preferred_output").EnumerateArray()), m => Assert.Equal("assistant", m.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Export_DownRatedWithoutCorrection_GivesNoExampleAndIsListedAsExcluded()
    {
        var answer = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(answer, FeedbackRating.Down);
        await _answers.UpRatedAsync(1);

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Single(AllExamples(export, "sft"));
        Assert.Empty(AllExamples(export, "dpo"));
        var excluded = Assert.Single(Lines(export.File(DatasetExportRunNames.Excluded)));
        Assert.Equal(answer.AnswerId, excluded.GetProperty("answerId").GetString());
        Assert.Equal(ExclusionReasons.DownWithoutCorrection, excluded.GetProperty("reason").GetString());
        Assert.Equal(1, export.Manifest!.Exclusions[ExclusionReasons.DownWithoutCorrection]);
    }

    [Fact]
    public async Task Export_ReRatedAnswer_UsesTheLatestRatingOnce()
    {
        var answer = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(answer, FeedbackRating.Up);
        await _answers.RateAsync(answer, FeedbackRating.Down, "Two years [1].");

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        var sft = Assert.Single(AllExamples(export, "sft"));
        Assert.Equal("Two years [1].", sft.GetProperty("messages")[2].GetProperty("content").GetString());
        Assert.Single(AllExamples(export, "dpo"));
        Assert.Equal(1, export.Manifest!.RatedInteractions);
    }

    [Fact]
    public async Task Export_ReRatingAfterAnExport_IsTakenByTheNextExportInPlaceOfTheOldRating()
    {
        var answer = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(answer, FeedbackRating.Up);
        await _answers.Exporter().ExportAsync();

        await _answers.RateAsync(answer, FeedbackRating.Down);
        var second = await _answers.Exporter().ExportAsync();

        Assert.Equal(DatasetExportOutcome.Exported, second.Outcome);
        var export = _answers.Writer.Committed[^1];
        Assert.Empty(AllExamples(export, "sft"));
        Assert.Equal(DatasetStatus.Insufficient, export.Manifest!.Status);
        Assert.Equal(_answers.Writer.Committed[0].Manifest!.Watermark.To, export.Manifest.Watermark.From);
    }

    [Fact]
    public async Task Export_SplitIsStableAcrossExportsAndNoExampleIsInBoth()
    {
        _answers.Options.ValidationPercent = 30;
        await _answers.UpRatedAsync(60, "first");
        await _answers.Exporter().ExportAsync();
        await _answers.UpRatedAsync(40, "second");
        await _answers.Exporter().ExportAsync();

        var (first, second) = (_answers.Writer.Committed[0], _answers.Writer.Committed[1]);
        var firstTrain = Questions(first, "sft.train.jsonl");
        var firstValid = Questions(first, "sft.valid.jsonl");
        var secondTrain = Questions(second, "sft.train.jsonl");
        var secondValid = Questions(second, "sft.valid.jsonl");
        Assert.NotEmpty(firstValid);
        Assert.Empty(firstTrain.Intersect(firstValid));
        Assert.Empty(secondTrain.Intersect(secondValid));
        Assert.Subset(secondTrain.ToHashSet(), firstTrain.ToHashSet());
        Assert.Subset(secondValid.ToHashSet(), firstValid.ToHashSet());
        Assert.Equal(100, secondTrain.Count + secondValid.Count);
        Assert.All(_answers.Store.Interactions, i =>
            Assert.Equal(DatasetSplit.IsValidation(i.AnswerId, 30), secondValid.Contains(i.Question)));
    }

    [Fact]
    public async Task Export_DuplicateAfterNormalisation_IsKeptOnceAndListed()
    {
        var first = await _answers.AnswerAsync("How long is the warranty?", "Two years [1].");
        var second = await _answers.AnswerAsync("how long  is the WARRANTY?", "two years [1]. ");
        await _answers.RateAsync(first, FeedbackRating.Up);
        await _answers.RateAsync(second, FeedbackRating.Up);

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Single(AllExamples(export, "sft"));
        var excluded = Assert.Single(Lines(export.File(DatasetExportRunNames.Excluded)));
        Assert.Equal(ExclusionReasons.Duplicate, excluded.GetProperty("reason").GetString());
        Assert.Equal(new[] { first.AnswerId, second.AnswerId }.Max(StringComparer.Ordinal), excluded.GetProperty("answerId").GetString());
    }

    [Fact]
    public async Task Export_DpoPairEqualAfterNormalisation_IsDropped()
    {
        var answer = await _answers.AnswerAsync("How long is the warranty?", "Two years [1].");
        await _answers.RateAsync(answer, FeedbackRating.Down, "  two YEARS [1].");
        await _answers.UpRatedAsync(1);

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Empty(AllExamples(export, "dpo"));
        Assert.Single(AllExamples(export, "sft"));
        Assert.Equal(1, export.Manifest!.Exclusions[FineTuneExampleValidator.DpoIdenticalOutputs]);
        Assert.Equal(1, export.Manifest.Exclusions[ExclusionReasons.CorrectionEqualsAnswer]);
    }

    [Fact]
    public async Task Export_ExampleOverTheTokenLimit_IsExcluded()
    {
        _answers.Options.MaxTokensPerExample = 300;
        await _answers.UpRatedAsync(2);
        var longAnswer = await _answers.AnswerAsync("Tell me everything.", string.Join(' ', Enumerable.Repeat("The battery warranty lasts two years.", 100)));
        await _answers.RateAsync(longAnswer, FeedbackRating.Up);

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Equal(2, AllExamples(export, "sft").Count);
        var excluded = Assert.Single(Lines(export.File(DatasetExportRunNames.Excluded)));
        Assert.Equal(longAnswer.AnswerId, excluded.GetProperty("answerId").GetString());
        Assert.Equal(FineTuneExampleValidator.TooManyTokens, excluded.GetProperty("reason").GetString());
        Assert.True(export.Manifest!.Datasets["sft"].Tokens!.Max <= 300);
    }

    [Fact]
    public async Task Export_PersonalData_IsReplacedInEveryMessageAndCounted()
    {
        var answer = await _answers.AnswerAsync("I am jo@example.com, call +49 30 1234567. When does my warranty end?", "Write to service@tidewater.example [1].");
        await _answers.RateAsync(answer, FeedbackRating.Down, "Pay to DE89 3704 0044 0532 0130 00 with card 4111 1111 1111 1111, order 1234 5678 9012 3456.");

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        var text = Encoding.UTF8.GetString(export.File("sft.train.jsonl")) + Encoding.UTF8.GetString(export.File("dpo.train.jsonl"));
        Assert.DoesNotContain("@example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DE89", text, StringComparison.Ordinal);
        Assert.Contains("[EMAIL], call [PHONE]", text, StringComparison.Ordinal);
        Assert.Contains("Pay to [IBAN] with card [CARD], order 1234 5678 9012 3456.", text, StringComparison.Ordinal);
        var scrubbed = export.Manifest!.Scrubbed;
        Assert.Equal(2, scrubbed["email"]);
        Assert.Equal(1, scrubbed["phone"]);
        Assert.Equal(1, scrubbed["iban"]);
        Assert.Equal(1, scrubbed["card"]);
    }

    [Fact]
    public async Task Export_FewerTrainingExamplesThanTheMinimum_WritesNoDataFilesAndSaysInsufficient()
    {
        _answers.Options.MinTrainingExamples = 10;
        await _answers.UpRatedAsync(5);

        var result = await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Equal(DatasetStatus.Insufficient, result.Manifest!.Status);
        Assert.Equal([DatasetExportRunNames.Excluded], export.Files.Keys);
        Assert.Equal(DatasetStatus.Insufficient, result.Manifest.Datasets["sft"].Status);
        Assert.Equal(5, result.Manifest.Datasets["sft"].Train + result.Manifest.Datasets["sft"].Validation);
    }

    [Fact]
    public async Task Export_MinimumIsPerDataset_SftFilesWithoutAnInsufficientDpo()
    {
        _answers.Options.MinTrainingExamples = 3;
        _answers.Options.ValidationPercent = 0;
        await _answers.UpRatedAsync(3);
        var corrected = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(corrected, FeedbackRating.Down, "Two years [1].");

        var result = await _answers.Exporter().ExportAsync();

        Assert.Equal(DatasetStatus.Complete, result.Manifest!.Status);
        Assert.Equal(DatasetStatus.Complete, result.Manifest.Datasets["sft"].Status);
        Assert.Equal(DatasetStatus.Insufficient, result.Manifest.Datasets["dpo"].Status);
        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Equal(["excluded.jsonl", "sft.train.jsonl"], export.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(4, AllExamples(export, "sft").Count);
    }

    [Fact]
    public async Task Export_HeldLinesAreWrittenInOrderOnceTheMinimumIsReached()
    {
        _answers.Options.MinTrainingExamples = 5;
        _answers.Options.ValidationPercent = 50;
        var answers = await _answers.UpRatedAsync(30);

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        var expectedValid = answers.Where(a => DatasetSplit.IsValidation(a.AnswerId, 50)).OrderBy(a => a.AnswerId, StringComparer.Ordinal).Select(a => a.Question);
        var expectedTrain = answers.Where(a => !DatasetSplit.IsValidation(a.AnswerId, 50)).OrderBy(a => a.AnswerId, StringComparer.Ordinal).Select(a => a.Question);
        Assert.Equal(expectedValid, Questions(export, "sft.valid.jsonl"));
        Assert.Equal(expectedTrain, Questions(export, "sft.train.jsonl"));
    }

    [Fact]
    public async Task Export_NothingRated_WritesNothing()
    {
        await _answers.AnswerAsync("Unrated?", "Yes.");

        var result = await _answers.Exporter().ExportAsync();

        Assert.Equal(DatasetExportOutcome.NothingRated, result.Outcome);
        Assert.Empty(_answers.Writer.Committed);
        Assert.Empty(_answers.Writer.Abandoned);
    }

    [Fact]
    public async Task Export_NoNewFeedbackSinceTheLastExport_WritesNothingNew()
    {
        await _answers.UpRatedAsync(3);
        var first = await _answers.Exporter().ExportAsync();

        var second = await _answers.Exporter().ExportAsync();

        Assert.Equal(DatasetExportOutcome.UpToDate, second.Outcome);
        Assert.Equal(first.Manifest, second.Manifest);
        Assert.Single(_answers.Writer.Committed);
        Assert.Empty(_answers.Writer.Abandoned);
    }

    [Fact]
    public async Task Export_CrashBeforeTheManifest_LeavesNothingVisibleAndTheNextRunEqualsACleanRun()
    {
        _answers.Options.ValidationPercent = 20;
        await _answers.UpRatedAsync(30);
        var corrected = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(corrected, FeedbackRating.Down, "Two years [1].");
        _answers.Writer.FailBeforeManifest = true;

        await Assert.ThrowsAsync<IOException>(() => _answers.Exporter().ExportAsync());

        Assert.Empty(_answers.Writer.Committed);
        Assert.Null(await _answers.Writer.ReadLatestManifestAsync());
        var crashed = Assert.Single(_answers.Writer.Abandoned);
        Assert.Contains("sft.train.jsonl", crashed.Files.Keys);

        var retried = await _answers.Exporter().ExportAsync();
        var clean = await _answers.Exporter(new InMemoryDatasetWriter()).ExportAsync();

        var (retry, reference) = (Assert.Single(_answers.Writer.Committed), clean.Manifest!);
        Assert.Equal(DatasetExportOutcome.Exported, retried.Outcome);
        Assert.Equal(crashed.Files.Keys.Order(StringComparer.Ordinal), retry.Files.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in crashed.Files)
        {
            Assert.Equal(bytes, retry.File(name));
        }

        Assert.Equal(
            reference with { ExportId = "", Name = "", CreatedAt = default },
            retried.Manifest! with { ExportId = "", Name = "", CreatedAt = default },
            ManifestComparer.Instance);
    }

    [Fact]
    public async Task Export_Manifest_DescribesEveryFileWithItsLinesSizeAndHash()
    {
        _answers.Options.ValidationPercent = 25;
        await _answers.UpRatedAsync(20);
        var corrected = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(corrected, FeedbackRating.Down, "Two years [1].");

        var result = await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        var manifest = result.Manifest!;
        Assert.Equal(export.Files.Keys.Order(StringComparer.Ordinal), manifest.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var file in manifest.Files)
        {
            var bytes = export.File(file.Name);
            Assert.Equal(bytes.Length, file.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
            Assert.Equal(bytes.Count(b => b == (byte)'\n'), file.Lines);
        }

        Assert.Equal("gpt-4.1-mini", manifest.BaseModel);
        Assert.Equal("o200k_base", manifest.Tokenizer);
        Assert.Equal(65_536, manifest.MaxTokensPerExample);
        Assert.Equal(25, manifest.Split.ValidationPercent);
        Assert.Equal(21, manifest.PromptVersions["test-prompt-1"]);
        Assert.Equal(21, manifest.Datasets["sft"].Train + manifest.Datasets["sft"].Validation);
        Assert.Null(manifest.Watermark.From);
        Assert.Equal(await _answers.Store.GetFeedbackWatermarkAsync(), manifest.Watermark.To);
        Assert.Matches(@"^[0-9]{8}T[0-9]{6}Z-" + manifest.ExportId + "$", manifest.Name);
        var tokens = manifest.Datasets["sft"].Tokens!;
        Assert.True(tokens.Min <= tokens.P50 && tokens.P50 <= tokens.Max && tokens.Min > 0);
    }

    [Fact]
    public async Task Export_DataFiles_AreCompactUtf8JsonLinesEndingInNewline_WithTheByteOrderMarkOnlyWhenAsked()
    {
        await _answers.UpRatedAsync(2);
        await _answers.Exporter().ExportAsync();
        _answers.Options.ByteOrderMark = true;
        await _answers.UpRatedAsync(1, "later");
        await _answers.Exporter().ExportAsync();

        var (plain, marked) = (_answers.Writer.Committed[0].File("sft.train.jsonl"), _answers.Writer.Committed[1].File("sft.train.jsonl"));
        Assert.NotEqual(0xEF, plain[0]);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{' }, marked[..4]);
        Assert.Equal((byte)'\n', plain[^1]);
        Assert.DoesNotContain((byte)'\r', plain);
        var text = Encoding.UTF8.GetString(plain);
        Assert.All(text.Split('\n')[..^1], line => Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(line).RootElement, DatasetManifest.JsonOptions), line));
        Assert.Contains("<source id=\\\"1\\\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_EveryWrittenLine_PassesTheValidator()
    {
        _answers.Options.ValidationPercent = 30;
        await _answers.UpRatedAsync(15);
        for (var i = 0; i < 12; i++)
        {
            var answer = await _answers.AnswerAsync($"Corrected {i}?", $"Wrong {i}.");
            await _answers.RateAsync(answer, FeedbackRating.Down, $"Right {i} [1].");
        }

        await _answers.Exporter().ExportAsync();

        var validator = new FineTuneExampleValidator(FineTuneTarget.For(_answers.Options));
        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Contains("sft.train.jsonl", export.Files.Keys);
        Assert.Contains("dpo.train.jsonl", export.Files.Keys);
        foreach (var name in export.Files.Keys.Where(name => name != DatasetExportRunNames.Excluded))
        {
            var report = await DatasetFileValidation.ValidateAsync(new MemoryStream(export.File(name)), validator);
            Assert.True(report.IsValid, name);
            Assert.Equal(name.StartsWith("sft", StringComparison.Ordinal) ? ExampleFormat.Chat : ExampleFormat.Preference, report.Format);
        }
    }

    private static List<JsonElement> Lines(byte[] file)
    {
        var text = Encoding.UTF8.GetString(file).TrimStart('\uFEFF');
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
    }

    private static List<JsonElement> AllExamples(InMemoryDatasetWriter.Export export, string dataset) =>
        [.. export.Files.Where(f => f.Key.StartsWith(dataset + ".", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => Lines(f.Value))];

    /// <summary>The question of each example of a file, in file order (empty when the file does not exist).</summary>
    private static List<string> Questions(InMemoryDatasetWriter.Export export, string fileName) =>
        export.Files.TryGetValue(fileName, out var bytes)
            ? [.. Lines(bytes).Select(l => l.GetProperty("messages")[1].GetProperty("content").GetString()!.Split(" Question: ")[1])]
            : [];

    private static class DatasetExportRunNames
    {
        public const string Excluded = "excluded.jsonl";
    }

    /// <summary>Manifests compare by value, their dictionaries and lists by content.</summary>
    private sealed class ManifestComparer : IEqualityComparer<DatasetManifest>
    {
        public static ManifestComparer Instance { get; } = new();

        public bool Equals(DatasetManifest? x, DatasetManifest? y) =>
            JsonSerializer.Serialize(x, DatasetManifest.JsonOptions) == JsonSerializer.Serialize(y, DatasetManifest.JsonOptions);

        public int GetHashCode(DatasetManifest obj) => 0;
    }
}
