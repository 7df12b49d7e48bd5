using System.Text;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Tokens;

namespace Ragtune.Core.Tests.FineTuning;

public sealed class FineTuneExampleValidatorTests
{
    private const string System = """{"role":"system","content":"You answer questions."}""";
    private const string User = """{"role":"user","content":"How long is the warranty?"}""";
    private const string Assistant = """{"role":"assistant","content":"Two years."}""";
    private const string ValidChat = $$"""{"messages":[{{System}},{{User}},{{Assistant}}]}""";
    private const string ValidPreference = $$"""{"input":{"messages":[{{System}},{{User}}]},"preferred_output":[{"role":"assistant","content":"Two years."}],"non_preferred_output":[{"role":"assistant","content":"One year."}]}""";

    private readonly FineTuneExampleValidator _validator = new(FineTuneTarget.For("gpt-4.1-mini"));

    [Fact]
    public void Check_ValidChatExample_HasNoProblems()
    {
        var check = _validator.Check(ValidChat);

        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.Equal(ExampleFormat.Chat, check.Format);
    }

    [Fact]
    public void Check_ValidPreferenceExample_HasNoProblems()
    {
        var check = _validator.Check(ValidPreference);

        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.Equal(ExampleFormat.Preference, check.Format);
    }

    [Fact]
    public void Check_Utf8AndTextOfTheSameLine_AgreeOnTokens()
    {
        Assert.Equal(_validator.Check(ValidChat).Tokens, _validator.Check(Encoding.UTF8.GetBytes(ValidChat)).Tokens);
    }

    [Theory]
    [InlineData("{\"messages\":[", FineTuneExampleValidator.InvalidJson)]
    [InlineData("{\"messages\":[]} {}", FineTuneExampleValidator.InvalidJson)]
    [InlineData("[1, 2]", FineTuneExampleValidator.DataType)]
    [InlineData("{\"messages\":[\"hello\", " + Assistant + "]}", FineTuneExampleValidator.DataType)]
    [InlineData("{\"prompt\":\"hi\",\"completion\":\"hello\"}", FineTuneExampleValidator.MissingMessagesList)]
    [InlineData("{\"messages\":{\"role\":\"user\"}}", FineTuneExampleValidator.MissingMessagesList)]
    [InlineData("{\"messages\":[]}", FineTuneExampleValidator.MissingMessagesList)]
    [InlineData("{\"messages\":[{\"content\":\"hi\"}, " + Assistant + "]}", FineTuneExampleValidator.MessageMissingKey)]
    [InlineData("{\"messages\":[" + User + ", {\"role\":\"assistant\",\"content\":\"Two\",\"mood\":\"happy\"}]}", FineTuneExampleValidator.MessageUnrecognizedKey)]
    [InlineData("{\"messages\":[{\"role\":\"bot\",\"content\":\"hi\"}, " + Assistant + "]}", FineTuneExampleValidator.UnrecognizedRole)]
    [InlineData("{\"messages\":[{\"role\":7,\"content\":\"hi\"}, " + Assistant + "]}", FineTuneExampleValidator.UnrecognizedRole)]
    [InlineData("{\"messages\":[" + User + ", {\"role\":\"assistant\",\"content\":\"\"}]}", FineTuneExampleValidator.MissingContent)]
    [InlineData("{\"messages\":[" + User + ", {\"role\":\"assistant\",\"content\":null}]}", FineTuneExampleValidator.MissingContent)]
    [InlineData("{\"messages\":[" + User + ", {\"role\":\"assistant\",\"content\":[\"Two\"]}]}", FineTuneExampleValidator.MissingContent)]
    [InlineData("{\"messages\":[" + System + ", " + User + "]}", FineTuneExampleValidator.ExampleMissingAssistantMessage)]
    [InlineData("{\"messages\":[" + User + ", " + Assistant + ", " + User + "]}", FineTuneExampleValidator.LastMessageNotAssistant)]
    [InlineData("{\"messages\":[" + User + ", {\"role\":\"assistant\",\"content\":\"Two\",\"weight\":2}]}", FineTuneExampleValidator.InvalidWeight)]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"weight\":1}, " + Assistant + "]}", FineTuneExampleValidator.InvalidWeight)]
    [InlineData("{\"preferred_output\":[" + Assistant + "],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"One\"}]}", FineTuneExampleValidator.DpoMissingInput)]
    [InlineData("{\"input\":{\"prompt\":\"hi\"},\"preferred_output\":[" + Assistant + "],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"One\"}]}", FineTuneExampleValidator.MissingMessagesList)]
    [InlineData("{\"input\":{\"messages\":[" + User + ", " + Assistant + "]},\"preferred_output\":[" + Assistant + "],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"One\"}]}", FineTuneExampleValidator.DpoInputLastNotUser)]
    [InlineData("{\"input\":{\"messages\":[" + User + "]},\"preferred_output\":[" + Assistant + ", " + Assistant + "],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"One\"}]}", FineTuneExampleValidator.DpoOutputNotOneAssistantMessage)]
    [InlineData("{\"input\":{\"messages\":[" + User + "]},\"preferred_output\":[" + Assistant + "],\"non_preferred_output\":[" + User + "]}", FineTuneExampleValidator.DpoOutputNotOneAssistantMessage)]
    [InlineData("{\"input\":{\"messages\":[" + User + "]},\"preferred_output\":[" + Assistant + "]}", FineTuneExampleValidator.DpoOutputNotOneAssistantMessage)]
    [InlineData("{\"input\":{\"messages\":[" + User + "]},\"preferred_output\":[" + Assistant + "],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\" two  YEARS.\"}]}", FineTuneExampleValidator.DpoIdenticalOutputs)]
    public void Check_EachRule_FailsItsCase(string line, string code)
    {
        var check = _validator.Check(line);

        Assert.False(check.IsValid);
        Assert.Contains(code, check.Problems.Select(p => p.Code));
    }

    [Fact]
    public void Check_ExampleOverTheModelsLimit_IsTooLong()
    {
        var validator = new FineTuneExampleValidator(FineTuneTarget.For("gpt-35-turbo"));
        var words = string.Join(' ', Enumerable.Repeat("warranty", 17_000));
        var line = $$"""{"messages":[{{User}},{"role":"assistant","content":"{{words}}"}]}""";

        var check = validator.Check(line);

        Assert.Equal(FineTuneExampleValidator.TooManyTokens, Assert.Single(check.Problems).Code);
        Assert.True(check.Tokens > FineTuneTarget.Cl100kModelLimit);
        Assert.True(_validator.Check(line).IsValid, "gpt-4.1-mini takes 65,536 tokens");
    }

    [Fact]
    public void Check_CountsTokensAsTheCookbook_ThreePerMessageTheValuesOneForANameAndThreeForTheReply()
    {
        var tokenizer = ChatModelTokenizers.ForEncoding(ChatModelTokenizers.O200kBase);
        var line = """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","name":"jo","content":"Hi there"},{"role":"assistant","content":"Hello!","weight":1}]}""";
        var expected = (3 * 3) + 3 + 1
            + tokenizer.CountTokens("system") + tokenizer.CountTokens("Be brief.")
            + tokenizer.CountTokens("user") + tokenizer.CountTokens("jo") + tokenizer.CountTokens("Hi there")
            + tokenizer.CountTokens("assistant") + tokenizer.CountTokens("Hello!");

        var check = _validator.Check(line);

        Assert.True(check.IsValid, string.Join("; ", check.Problems));
        Assert.Equal(expected, check.Tokens);
    }

    [Fact]
    public void Check_PreferenceTokens_AreTheInputAndTheLongerOutput()
    {
        var input = _validator.Check($$"""{"messages":[{{System}},{{User}},{"role":"assistant","content":"One year."}]}""").Tokens;
        var longer = _validator.Check($$"""{"messages":[{{System}},{{User}},{"role":"assistant","content":"Two years, or 500 full charge cycles."}]}""").Tokens;
        var line = $$"""{"input":{"messages":[{{System}},{{User}}]},"preferred_output":[{"role":"assistant","content":"Two years, or 500 full charge cycles."}],"non_preferred_output":[{"role":"assistant","content":"One year."}]}""";

        Assert.True(input < longer);
        Assert.Equal(longer, _validator.Check(line).Tokens);
    }

    [Theory]
    [InlineData("gpt-4o-mini", "o200k_base", 65_536)]
    [InlineData("gpt-4.1-mini", "o200k_base", 65_536)]
    [InlineData("gpt-35-turbo", "cl100k_base", 16_385)]
    [InlineData("ft:gpt-4.1-mini-2025-04-14:contoso::abc123", "o200k_base", 65_536)]
    [InlineData("gpt-4o", "o200k_base", 65_536)]
    [InlineData("gpt-4.1", "o200k_base", 65_536)]

    // Azure OpenAI's fine-tuning models table gives gpt-4.1-nano a training example context length of 32,768.
    [InlineData("gpt-4.1-nano", "o200k_base", 32_768)]
    [InlineData("gpt-4.1-nano-2025-04-14.ft-0123456789abcdef", "o200k_base", 32_768)]
    [InlineData("gpt-4.1-mini-2025-04-14.ft-0123456789abcdef", "o200k_base", 65_536)]
    public void Target_ResolvesTheTokenizerAndLimitOfTheBaseModel(string model, string encoding, int limit)
    {
        var target = FineTuneTarget.For(model);

        Assert.Equal(encoding, target.Encoding);
        Assert.Equal(limit, target.MaxTokensPerExample);
        Assert.DoesNotContain("ft:", target.BaseModel, StringComparison.Ordinal);
        Assert.DoesNotContain(".ft-", target.BaseModel, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultBaseModel_IsOneAzureOpenAIFineTunesWithBothSftAndDpo()
    {
        // gpt-4.1-mini (2025-04-14): SFT and DPO, GA, in Azure OpenAI's fine-tuning models table of 2026-09-21; the
        // gpt-5 family is offered for reinforcement fine-tuning only, which these datasets are not for.
        var target = FineTuneTarget.For(new FineTuningOptions());

        Assert.Equal("gpt-4.1-mini", target.BaseModel);
        Assert.Equal("o200k_base", target.Encoding);
        Assert.Equal(65_536, target.MaxTokensPerExample);
    }
}
