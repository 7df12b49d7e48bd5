using Microsoft.Extensions.AI;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Tests.Fakes;
using Ragtune.Testing;

namespace Ragtune.Core.Tests.Answering;

public sealed class QuestionAnswererTests
{
    private readonly AnswererBuilder _builder = new();

    [Fact]
    public async Task Ask_NoChunkPassesTheThreshold_IsNotGroundedAndDoesNotCallTheChatModel()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 1, "Unrelated text about parking.", similarity: 0.12f, score: 99));

        var answer = await _builder.Build().AskAsync(AnswererBuilder.Question("What is the capital of France?"));

        Assert.False(answer.Grounded);
        Assert.Empty(answer.Citations);
        Assert.Equal(_builder.Options.NotGroundedAnswer, answer.Answer);
        Assert.Empty(_builder.Chat.Calls);
        var recorded = Assert.Single(_builder.Interactions.Interactions);
        Assert.False(recorded.Grounded);
        Assert.Contains(_builder.Options.EmptyContext, recorded.Prompt[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_AfterAPromotion_IsAnsweredByThePromotedModel_AndRecordsIt()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("battery.md", 1, "The battery warranty lasts two years.", similarity: 0.7f));
        var store = new Ragtune.Testing.InMemoryTuningRunStore();
        await store.AppendModelChangeAsync(new ModelChange(1, ModelChangeKind.Promoted, FakeFineTuningService.Model, FakeFineTuningService.Model, "run", DateTimeOffset.UnixEpoch));
        var service = new FakeFineTuningService { Candidate = _ => "Two years, says the tuned model [1]." };
        var options = Microsoft.Extensions.Options.Options.Create(new TuningOptions());
        using var active = new ActiveChatModel(store, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ActiveChatModel>.Instance);
        _builder.Pipeline = new ActiveModelChatClient(_builder.Chat, _builder.ChatModel, active, service);

        var answer = await _builder.Build().AskAsync(AnswererBuilder.Question("How long is the battery warranty?"));

        Assert.Equal((FakeFineTuningService.Model, "Two years, says the tuned model [1]."), (answer.Model, answer.Answer));
        Assert.Equal(FakeFineTuningService.Model, Assert.Single(_builder.Interactions.Interactions).Model);
        Assert.Empty(_builder.Chat.Calls);
    }

    [Fact]
    public async Task Ask_WithNoPromotion_IsAnsweredAndRecordedByTheConfiguredModel()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("battery.md", 1, "The battery warranty lasts two years.", similarity: 0.7f));
        var options = Microsoft.Extensions.Options.Options.Create(new TuningOptions());
        using var active = new ActiveChatModel(new Ragtune.Testing.InMemoryTuningRunStore(), options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ActiveChatModel>.Instance);
        _builder.Pipeline = new ActiveModelChatClient(_builder.Chat, _builder.ChatModel, active, new FakeFineTuningService());

        var answer = await _builder.Build().AskAsync(AnswererBuilder.Question("How long is the battery warranty?"));

        Assert.Equal("gpt-4o-mini", answer.Model);
        Assert.Single(_builder.Chat.Calls);
    }

    [Fact]
    public async Task Ask_ThresholdUsesCosineSimilarityNotTheEngineScore()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("a.pdf", 1, "High score, low similarity.", similarity: 0.2f, score: 10));
        _builder.Index.Hits.Add(AnswererBuilder.Hit("b.pdf", 2, "Low score, high similarity.", similarity: 0.7f, score: 0.01));

        var answer = await _builder.Build().AskAsync(AnswererBuilder.Question("q", minSimilarity: 0.5f));

        var citation = Assert.Single(answer.Citations);
        Assert.Equal("b.pdf", citation.Source);
        Assert.Equal(0.7f, citation.Similarity);
    }

    [Fact]
    public async Task Ask_ChunkWithASection_CitesItsSection_AndItIsInTheJson()
    {
        var hit = AnswererBuilder.Hit("roles.pdf", 7, "Manage the company's IT infrastructure.", similarity: 0.7f);
        _builder.Index.Hits.Add(hit with { Chunk = hit.Chunk with { Section = "Chief Technology Officer > Responsibilities" } });
        _builder.Index.Hits.Add(AnswererBuilder.Hit("plain.txt", 1, "No headings here.", similarity: 0.6f));

        var answer = await _builder.Build().AskAsync(AnswererBuilder.Question("Who manages the IT infrastructure?"));

        Assert.Equal(["Chief Technology Officer > Responsibilities", null], answer.Citations.Select(c => c.Section));
        using var json = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(answer, RagtuneJson.Options));
        var citations = json.RootElement.GetProperty("citations");
        Assert.Equal("Chief Technology Officer > Responsibilities", citations[0].GetProperty("section").GetString());
        Assert.False(citations[1].TryGetProperty("section", out _));
    }

    [Fact]
    public async Task Ask_ChunkThatRunsOnAcrossAPageBreak_IsCitedWithItsLastPage_AndItIsInTheJson()
    {
        var hit = AnswererBuilder.Hit("benefits.pdf", 7, "Premiums are paid monthly and rise each year.", similarity: 0.7f);
        _builder.Index.Hits.Add(hit with { Chunk = hit.Chunk with { LastPage = 8 } });
        _builder.Index.Hits.Add(AnswererBuilder.Hit("benefits.pdf", 9, "Dental cover is optional.", similarity: 0.6f));

        var answer = await _builder.Build().AskAsync(AnswererBuilder.Question("How are premiums paid?"));

        Assert.Equal([(7, (int?)8), (9, null)], answer.Citations.Select(c => (c.Page, c.LastPage)));
        using var json = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(answer, RagtuneJson.Options));
        var citations = json.RootElement.GetProperty("citations");
        Assert.Equal(8, citations[0].GetProperty("lastPage").GetInt32());
        Assert.False(citations[1].TryGetProperty("lastPage", out _));
    }

    [Fact]
    public async Task Ask_Grounded_SendsSystemAndTemplatedUserMessageAndRecordsExactlyThat()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook/benefits.pdf", 4, "New hires accrue 20 vacation days per year.", similarity: 0.71f));

        var answer = await _builder.Build().AskAsync(AnswererBuilder.Question("How many vacation days do new hires get?"));

        Assert.True(answer.Grounded);
        Assert.Equal("New hires get 20 days [1].", answer.Answer);
        Assert.Equal(new TokenUsage(812, 41), answer.Usage);
        Assert.Equal("gpt-4o-mini", answer.Model);
        var (messages, options) = Assert.Single(_builder.Chat.Calls);
        Assert.Equal([ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal(_builder.Options.SystemMessage, messages[0].Text);
        Assert.StartsWith("Answer the question. Context: ", messages[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("\n Question: How many vacation days do new hires get?", messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("<source id=\"1\" file=\"handbook/benefits.pdf\" page=\"4\">\nNew hires accrue 20 vacation days per year.\n</source>", messages[1].Text, StringComparison.Ordinal);
        Assert.IsType<GroundingContext>(options!.AdditionalProperties![GroundingContext.PropertyName]);

        var recorded = Assert.Single(_builder.Interactions.Interactions);
        Assert.Equal(answer.AnswerId, recorded.AnswerId);
        Assert.Equal(messages.Select(m => (m.Role.Value, m.Text)), recorded.Prompt.Select(p => (p.Role, p.Content)));
        Assert.Equal(answer.Citations, recorded.Chunks);
        Assert.Equal(_builder.Options.PromptVersion, recorded.PromptVersion);
        Assert.Equal(answer.Answer, recorded.Answer);
    }

    [Fact]
    public async Task AskStreaming_YieldsCitationsThenDeltasThenTheSameAnswerAsJson()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "New hires accrue 20 vacation days per year.", similarity: 0.71f));

        var events = new List<AnswerEvent>();
        await foreach (var answerEvent in _builder.Build().AskStreamingAsync(AnswererBuilder.Question("How many days?")))
        {
            events.Add(answerEvent);
        }

        Assert.IsType<CitationsEvent>(events[0]);
        Assert.IsType<DoneEvent>(events[^1]);
        var deltas = events[1..^1].Cast<DeltaEvent>().Select(d => d.Text);
        var done = ((DoneEvent)events[^1]).Response;
        Assert.Equal(done.Answer, string.Concat(deltas));
        Assert.Equal(((CitationsEvent)events[0]).Citations, done.Citations);
    }

    [Theory]
    [InlineData(0.71f)]
    [InlineData(0.01f)]
    public async Task AskStreaming_NamesTheAnswersIdFirst_TheIdItIsRecordedAndRatedUnder(float similarity)
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "New hires accrue 20 vacation days per year.", similarity));

        var events = new List<AnswerEvent>();
        await foreach (var answerEvent in _builder.Build().AskStreamingAsync(AnswererBuilder.Question("How many days?")))
        {
            events.Add(answerEvent);
        }

        var first = Assert.IsType<CitationsEvent>(events[0]);
        Assert.True(Ulid.IsValid(first.AnswerId), first.AnswerId);
        Assert.Equal(first.AnswerId, ((DoneEvent)events[^1]).Response.AnswerId);
        Assert.Equal(first.AnswerId, Assert.Single(_builder.Interactions.Interactions).AnswerId);
    }

    [Fact]
    public async Task Ask_QuestionSearchedAsAsked_GivesTheAnswererItsVector_ARewrittenOneDoesNot()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "Part-time staff accrue vacation pro rata.", similarity: 0.6f));
        await _builder.Build().AskAsync(AnswererBuilder.Question("How many vacation days do new hires get?"));

        var grounding = (GroundingContext)Assert.Single(_builder.Chat.Calls).Options!.AdditionalProperties![GroundingContext.PropertyName]!;
        Assert.Equal(CountingEmbeddingGenerator.VectorOf("How many vacation days do new hires get?"), grounding.QuestionVector.ToArray());

        _builder.Chat = new RecordingChatClient("vacation days for part-time staff");
        var history = new[] { new ChatTurn("user", "How many vacation days do new hires get?"), new ChatTurn("assistant", "20 days [1].") };
        await _builder.Build().AskAsync(AnswererBuilder.Question("And part-time staff?", history: history));

        var rewritten = (GroundingContext)_builder.Chat.Calls[1].Options!.AdditionalProperties![GroundingContext.PropertyName]!;
        Assert.True(rewritten.QuestionVector.IsEmpty);
    }

    [Fact]
    public async Task Ask_WithHistory_RewritesTheQueryAndSendsTheHistory()
    {
        _builder.Chat = new RecordingChatClient("vacation days for part-time staff");
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "Part-time staff accrue vacation pro rata.", similarity: 0.6f));
        var history = new[] { new ChatTurn("user", "How many vacation days do new hires get?"), new ChatTurn("assistant", "20 days [1].") };

        await _builder.Build().AskAsync(AnswererBuilder.Question("And part-time staff?", history: history));

        Assert.Equal("vacation days for part-time staff", _builder.Index.LastQuery!.Text);
        Assert.Equal(2, _builder.Chat.Calls.Count);
        var answerCall = _builder.Chat.Calls[1].Messages;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], answerCall.Select(m => m.Role));
        Assert.Equal("20 days [1].", answerCall[2].Text);
        Assert.Equal("vacation days for part-time staff", _builder.Interactions.Interactions.Single().SearchQuery);
    }

    [Fact]
    public async Task Ask_WithHistoryAndAnExtractiveModel_PrependsThePreviousQuestionWithoutAChatCall()
    {
        _builder.ChatModel = ChatModelProfile.ForModel("extractive", isGenerative: false);
        var history = new[] { new ChatTurn("user", "How many vacation days do new hires get?"), new ChatTurn("assistant", "20 days [1].") };

        await _builder.Build().AskAsync(AnswererBuilder.Question("And part-time staff?", history: history));

        Assert.Equal("How many vacation days do new hires get? And part-time staff?", _builder.Index.LastQuery!.Text);
        Assert.Empty(_builder.Chat.Calls);
    }

    [Fact]
    public async Task Ask_NewSubjectWithHistoryAndAnExtractiveModel_SearchesTheQuestionAsAsked()
    {
        _builder.ChatModel = ChatModelProfile.ForModel("extractive", isGenerative: false);
        var history = new[] { new ChatTurn("user", "How long is the battery warranty?"), new ChatTurn("assistant", "2 years [1].") };

        await _builder.Build().AskAsync(AnswererBuilder.Question("What is the capital of France?", history: history));

        Assert.Equal("What is the capital of France?", _builder.Index.LastQuery!.Text);
    }

    [Fact]
    public async Task Ask_ChatFails_PropagatesAndRecordsNothing()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "text", similarity: 0.9f));
        _builder.Chat.Failure = new DependencyUnavailableException("chat", DependencyFailure.Throttled, TimeSpan.FromSeconds(3));

        var exception = await Assert.ThrowsAsync<DependencyUnavailableException>(() => _builder.Build().AskAsync(AnswererBuilder.Question("q")));

        Assert.Equal(TimeSpan.FromSeconds(3), exception.RetryAfter);
        Assert.Empty(_builder.Interactions.Interactions);
    }

    [Fact]
    public async Task Ask_GivesEachAnswerANewSortableId()
    {
        var answerer = _builder.Build();

        var first = await answerer.AskAsync(AnswererBuilder.Question("one"));
        _builder.Time.Advance(TimeSpan.FromMilliseconds(1));
        var second = await answerer.AskAsync(AnswererBuilder.Question("two"));

        Assert.True(Ulid.IsValid(first.AnswerId));
        Assert.True(string.CompareOrdinal(first.AnswerId, second.AnswerId) < 0);
        Assert.Equal([_builder.Time.GetUtcNow() - TimeSpan.FromMilliseconds(1), _builder.Time.GetUtcNow()], _builder.Interactions.Interactions.Select(i => i.CreatedAt).Order());
    }
}
