using System.Text;
using System.Text.Json;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Index;
using Ragtune.Core.Tests.Fakes;

namespace Ragtune.Core.Tests.FineTuning;

/// <summary>A fine-tuned model answers every caller: only answers drawn from public documents become training data.</summary>
public sealed class DatasetExporterAccessTests
{
    private readonly RatedAnswers _answers = new();

    [Fact]
    public async Task Export_AnswerCitingARestrictedDocument_IsExcludedAsRestricted()
    {
        var restricted = await RatedAsync("board.md", documentGroups: ["board"], callerGroups: ["board"]);
        var open = await RatedAsync("handbook.md", documentGroups: [], callerGroups: ["board"]);

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Equal([open.Answer], SftAnswers(export));
        Assert.Contains(Excluded(export), e => e.AnswerId == restricted.AnswerId && e.Reason == ExclusionReasons.RestrictedContext);
        Assert.Equal(1, export.Manifest!.Exclusions[ExclusionReasons.RestrictedContext]);
        Assert.Equal(2, export.Manifest.RatedInteractions);
    }

    [Fact]
    public async Task Export_DocumentRestrictedAfterTheAnswer_IsExcluded()
    {
        var answer = await RatedAsync("policy.md", documentGroups: [], callerGroups: []);
        await _answers.Catalog.SaveAsync(Record("policy.md", ["hr"]));

        await _answers.Exporter().ExportAsync();

        var export = Assert.Single(_answers.Writer.Committed);
        Assert.Empty(SftAnswers(export));
        Assert.Contains(Excluded(export), e => e.AnswerId == answer.AnswerId && e.Reason == ExclusionReasons.RestrictedContext);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Export_DocumentGone_IsKeptOnlyWhenTheAskerHadNoGroups(bool askerHadGroups, bool kept)
    {
        var answer = await RatedAsync("gone.md", documentGroups: null, callerGroups: askerHadGroups ? ["board"] : []);

        await _answers.Exporter().ExportAsync();

        Assert.Equal(kept, SftAnswers(Assert.Single(_answers.Writer.Committed)).Contains(answer.Answer));
    }

    [Fact]
    public async Task Export_AskerWithGroupsAndHistory_IsExcluded_SinceEarlierTurnsMayQuoteRestrictedDocuments()
    {
        await _answers.Catalog.SaveAsync(Record("handbook.md", []));
        var answer = await _answers.AnswerAsync(
            "And the next year?", "Three weeks [1].", history: [new(ChatTurn.User, "How long is the holiday?"), new(ChatTurn.Assistant, "Two weeks.")],
            chunks: [Cite("handbook.md")], callerGroups: ["board"]);
        await _answers.RateAsync(answer, FeedbackRating.Up);

        await _answers.Exporter().ExportAsync();

        Assert.Empty(SftAnswers(Assert.Single(_answers.Writer.Committed)));
    }

    private async Task<Interaction> RatedAsync(string source, IReadOnlyList<string>? documentGroups, IReadOnlyList<string> callerGroups)
    {
        if (documentGroups is not null)
        {
            await _answers.Catalog.SaveAsync(Record(source, documentGroups));
        }

        var answer = await _answers.AnswerAsync($"What does {source} say?", $"What {source} says [1].", chunks: [Cite(source)], callerGroups: callerGroups);
        await _answers.RateAsync(answer, FeedbackRating.Up);
        return answer;
    }

    private static List<string> SftAnswers(InMemoryDatasetWriter.Export export) =>
        [.. export.Files.Where(f => f.Key.StartsWith("sft.", StringComparison.Ordinal)).SelectMany(f => Lines(f.Value))
            .Select(l => l.GetProperty("messages")[l.GetProperty("messages").GetArrayLength() - 1].GetProperty("content").GetString()!)];

    private static List<(string AnswerId, string Reason)> Excluded(InMemoryDatasetWriter.Export export) =>
        [.. Lines(export.File("excluded.jsonl")).Select(l => (l.GetProperty("answerId").GetString()!, l.GetProperty("reason").GetString()!))];

    private static IEnumerable<JsonElement> Lines(byte[] file) =>
        Encoding.UTF8.GetString(file).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement);

    private static Citation Cite(string source) =>
        new(1, DocumentIds.ForSource(source), source, 1, DocumentIds.ForChunk(DocumentIds.ForSource(source), 0), 0.8f, "The battery warranty lasts 2 years.");

    private static DocumentRecord Record(string source, IReadOnlyList<string> groups) =>
        new(DocumentIds.ForSource(source), source, "hash", DocumentStatus.Indexed, 1, DateTimeOffset.UtcNow, groups, null);
}
