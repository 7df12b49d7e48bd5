using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ragtune.Core.Feedback;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// One export being built: each rated answer in turn becomes its examples, scrubbed, serialised, checked, de-duplicated
/// and written to its dataset's train or validation file, or listed in <c>excluded.jsonl</c>. Memory grows only with a
/// 16-byte key and a token count per example kept (for de-duplication and the median), not with the examples.
/// </summary>
internal sealed class DatasetExportRun : IAsyncDisposable
{
    public const string Sft = "sft";
    public const string Dpo = "dpo";
    public const string ExcludedFileName = "excluded.jsonl";

    private static readonly JsonWriterOptions LineOptions = new() { Encoder = DatasetManifest.JsonOptions.Encoder, Indented = false };

    private readonly FineTuningOptions _options;
    private readonly FineTuneExampleValidator _validator;
    private readonly DatasetBuilder _sft;
    private readonly DatasetBuilder _dpo;
    private readonly JsonLinesFile _excluded;
    private readonly ArrayBufferWriter<byte> _line = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly ScrubCounts _scrubbed = new();
    private readonly SortedDictionary<string, int> _promptVersions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _exclusions = new(StringComparer.Ordinal);
    private int _ratedInteractions;

    private DatasetExportRun(IDatasetExport export, FineTuningOptions options, FineTuneExampleValidator validator, JsonLinesFile excluded)
    {
        _options = options;
        _validator = validator;
        _sft = new DatasetBuilder(export, Sft, options);
        _dpo = new DatasetBuilder(export, Dpo, options);
        _excluded = excluded;
        _json = new Utf8JsonWriter(_line, LineOptions);
    }

    public static async Task<DatasetExportRun> StartAsync(
        IDatasetExport export, FineTuningOptions options, FineTuneExampleValidator validator, CancellationToken cancellationToken) =>
        new(export, options, validator, await JsonLinesFile.CreateAsync(export, ExcludedFileName, byteOrderMark: false, cancellationToken));

    public async Task AddAsync(RatedInteraction rated, CancellationToken cancellationToken)
    {
        var (interaction, feedback) = rated;
        Count(interaction);

        var id = interaction.AnswerId;
        var validation = DatasetSplit.IsValidation(id, _options.ValidationPercent);
        var prompt = interaction.Prompt.Select(m => m with { Content = PersonalDataScrubber.Scrub(m.Content, _scrubbed) }).ToList();
        var system = prompt.FirstOrDefault(m => m.Role == "system")?.Content ?? string.Empty;
        // The question is also in the user message, where it is counted; here it only keys de-duplication.
        var question = PersonalDataScrubber.Scrub(interaction.Question, new ScrubCounts());
        var answer = PersonalDataScrubber.Scrub(interaction.Answer, _scrubbed);

        if (feedback.Rating == FeedbackRating.Up)
        {
            WriteChat(prompt, answer);
            await OfferAsync(_sft, id, validation, Key(system, question, answer), cancellationToken);
            return;
        }

        if (feedback.Correction is null)
        {
            await ExcludeAsync(id, Sft, ExclusionReasons.DownWithoutCorrection, "The answer was rated down without a correction.", cancellationToken);
            return;
        }

        var correction = PersonalDataScrubber.Scrub(feedback.Correction, _scrubbed);
        if (TextNormalization.AreEqual(correction, answer))
        {
            await ExcludeAsync(id, Sft, ExclusionReasons.CorrectionEqualsAnswer, "The correction is the answer, after normalisation.", cancellationToken);
            await ExcludeAsync(id, Dpo, FineTuneExampleValidator.DpoIdenticalOutputs, "The correction is the answer, after normalisation.", cancellationToken);
            return;
        }

        WriteChat(prompt, correction);
        await OfferAsync(_sft, id, validation, Key(system, question, correction), cancellationToken);
        WritePreference(prompt, correction, answer);
        await OfferAsync(_dpo, id, validation, Key(system, question, correction, answer), cancellationToken);
    }

    /// <summary>Counts a rated answer that may not be trained on and lists it in <c>excluded.jsonl</c>.</summary>
    public Task ExcludeRestrictedAsync(RatedInteraction rated, CancellationToken cancellationToken)
    {
        var interaction = rated.Interaction;
        Count(interaction);
        return ExcludeAsync(
            interaction.AnswerId, Sft, ExclusionReasons.RestrictedContext, "The answer draws on documents that not every user may read.", cancellationToken);
    }

    /// <summary>Closes the files and describes the export.</summary>
    public async Task<DatasetManifest> CompleteAsync(string exportId, string name, DateTimeOffset createdAt, WatermarkRange watermark)
    {
        var files = new List<DatasetFileInfo>();
        var sft = await _sft.CompleteAsync(files);
        var dpo = await _dpo.CompleteAsync(files);
        files.Add(await _excluded.CompleteAsync());
        var target = _validator.Target;
        return new DatasetManifest(
            DatasetManifest.CurrentSchemaVersion,
            exportId,
            name,
            createdAt,
            sft.Status == DatasetStatus.Complete || dpo.Status == DatasetStatus.Complete ? DatasetStatus.Complete : DatasetStatus.Insufficient,
            target.BaseModel,
            target.Encoding,
            target.MaxTokensPerExample,
            _options.MinTrainingExamples,
            _options.ByteOrderMark,
            watermark,
            new SplitSettings(DatasetSplit.Method, _options.ValidationPercent),
            _ratedInteractions,
            _promptVersions,
            new SortedDictionary<string, DatasetSummary>(StringComparer.Ordinal) { [Sft] = sft, [Dpo] = dpo },
            files,
            _exclusions,
            new SortedDictionary<string, int>(StringComparer.Ordinal)
            {
                ["card"] = _scrubbed.Card,
                ["email"] = _scrubbed.Email,
                ["iban"] = _scrubbed.Iban,
                ["phone"] = _scrubbed.Phone,
            });
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _sft.DisposeAsync();
        await _dpo.DisposeAsync();
        await _excluded.DisposeAsync();
    }

    private async Task OfferAsync(DatasetBuilder dataset, string answerId, bool validation, UInt128 key, CancellationToken cancellationToken)
    {
        var check = _validator.Check(_line.WrittenMemory);
        if (!check.IsValid)
        {
            var first = check.Problems[0];
            await ExcludeAsync(answerId, dataset.Kind, first.Code, string.Join(" ", check.Problems.Select(p => p.Message)), cancellationToken);
        }
        else if (!dataset.Keys.Add(key))
        {
            await ExcludeAsync(answerId, dataset.Kind, ExclusionReasons.Duplicate, "An earlier answer gave the same example.", cancellationToken);
        }
        else
        {
            await dataset.AddAsync(_line.WrittenMemory, validation, check.Tokens, cancellationToken);
        }
    }

    private async Task ExcludeAsync(string answerId, string kind, string reason, string detail, CancellationToken cancellationToken)
    {
        _exclusions[reason] = _exclusions.GetValueOrDefault(reason) + 1;
        Begin();
        _json.WriteStartObject();
        _json.WriteString("answerId", answerId);
        _json.WriteString("dataset", kind);
        _json.WriteString("reason", reason);
        _json.WriteString("detail", detail);
        _json.WriteEndObject();
        _json.Flush();
        await _excluded.WriteLineAsync(_line.WrittenMemory, cancellationToken);
    }

    /// <summary><c>{"messages":[...prompt, assistant]}</c></summary>
    private void WriteChat(List<PromptMessage> prompt, string assistant)
    {
        Begin();
        _json.WriteStartObject();
        _json.WriteStartArray("messages");
        WriteMessages(prompt);
        WriteMessage("assistant", assistant);
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
    }

    /// <summary><c>{"input":{"messages":[...]},"preferred_output":[...],"non_preferred_output":[...]}</c></summary>
    private void WritePreference(List<PromptMessage> prompt, string preferred, string nonPreferred)
    {
        Begin();
        _json.WriteStartObject();
        _json.WriteStartObject("input");
        _json.WriteStartArray("messages");
        WriteMessages(prompt);
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.WriteStartArray("preferred_output");
        WriteMessage("assistant", preferred);
        _json.WriteEndArray();
        _json.WriteStartArray("non_preferred_output");
        WriteMessage("assistant", nonPreferred);
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
    }

    private void WriteMessages(List<PromptMessage> messages)
    {
        foreach (var message in messages)
        {
            WriteMessage(message.Role, message.Content);
        }
    }

    private void WriteMessage(string role, string content)
    {
        _json.WriteStartObject();
        _json.WriteString("role", role);
        _json.WriteString("content", content);
        _json.WriteEndObject();
    }

    private void Begin()
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
    }

    /// <summary>The first 128 bits of the SHA-256 of the normalised parts.</summary>
    private static UInt128 Key(params string[] parts)
    {
        var text = string.Join('\0', parts.Select(TextNormalization.Normalize));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    /// <summary>
    /// One dataset's train and validation files. Until the training examples reach the minimum, lines are held in
    /// memory and no file is created, so that an insufficient dataset leaves no file behind.
    /// </summary>
    private sealed class DatasetBuilder(IDatasetExport export, string kind, FineTuningOptions options) : IAsyncDisposable
    {
        private readonly List<int> _tokens = [];
        private List<(byte[] Line, bool Validation)>? _pending = [];
        private JsonLinesFile? _train;
        private JsonLinesFile? _validation;
        private int _trainCount;
        private int _validationCount;

        public string Kind => kind;

        public HashSet<UInt128> Keys { get; } = [];

        public async Task AddAsync(ReadOnlyMemory<byte> line, bool validation, int tokens, CancellationToken cancellationToken)
        {
            _tokens.Add(tokens);
            if (validation)
            {
                _validationCount++;
            }
            else
            {
                _trainCount++;
            }

            if (_pending is null)
            {
                await WriteAsync(line, validation, cancellationToken);
                return;
            }

            _pending.Add((line.ToArray(), validation));
            if (_trainCount >= options.MinTrainingExamples)
            {
                var pending = _pending;
                _pending = null;
                foreach (var (held, heldValidation) in pending)
                {
                    await WriteAsync(held, heldValidation, cancellationToken);
                }
            }
        }

        public async Task<DatasetSummary> CompleteAsync(List<DatasetFileInfo> files)
        {
            foreach (var file in new[] { _train, _validation })
            {
                if (file is not null)
                {
                    files.Add(await file.CompleteAsync());
                }
            }

            var status = _pending is null ? DatasetStatus.Complete : DatasetStatus.Insufficient;
            return new DatasetSummary(status, _trainCount, _validationCount, TokenStatistics.Of(_tokens));
        }

        public async ValueTask DisposeAsync()
        {
            if (_train is not null)
            {
                await _train.DisposeAsync();
            }

            if (_validation is not null)
            {
                await _validation.DisposeAsync();
            }
        }

        private async Task WriteAsync(ReadOnlyMemory<byte> line, bool validation, CancellationToken cancellationToken)
        {
            var file = validation
                ? _validation ??= await JsonLinesFile.CreateAsync(export, $"{kind}.valid.jsonl", options.ByteOrderMark, cancellationToken)
                : _train ??= await JsonLinesFile.CreateAsync(export, $"{kind}.train.jsonl", options.ByteOrderMark, cancellationToken);
            await file.WriteLineAsync(line, cancellationToken);
        }
    }

    /// <summary>Every rated answer the run reads counts, with its prompt version, whether or not it becomes an example.</summary>
    private void Count(Interaction interaction)
    {
        _ratedInteractions++;
        _promptVersions[interaction.PromptVersion] = _promptVersions.GetValueOrDefault(interaction.PromptVersion) + 1;
    }
}
