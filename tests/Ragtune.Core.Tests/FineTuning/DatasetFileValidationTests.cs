using System.Text;
using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Tests.FineTuning;

public sealed class DatasetFileValidationTests
{
    private const string Chat = """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}""";
    private const string Preference = """{"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant","content":"Hello."}],"non_preferred_output":[{"role":"assistant","content":"Go away."}]}""";

    private readonly FineTuneExampleValidator _validator = new(FineTuneTarget.For("gpt-4.1-mini"));

    [Fact]
    public async Task Validate_ValidFileWithAByteOrderMark_HasNoProblems()
    {
        var report = await ValidateAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{Chat}\n{Chat}\n")]);

        Assert.True(report.IsValid, string.Join("; ", report.Problems));
        Assert.Equal(2, report.Examples);
        Assert.Equal(ExampleFormat.Chat, report.Format);
        Assert.NotNull(report.Tokens);
    }

    [Fact]
    public async Task Validate_ReportsProblemsByLineNumber()
    {
        var report = await ValidateAsync(Encoding.UTF8.GetBytes($"{Chat}\n\n{{\"messages\":[]}}\n{Chat}\nnot json\n"));

        Assert.Equal(
            [
                (2, DatasetFileValidation.EmptyLine),
                (3, FineTuneExampleValidator.MissingMessagesList),
                (3, FineTuneExampleValidator.ExampleMissingAssistantMessage),
                (5, FineTuneExampleValidator.InvalidJson),
            ],
            report.Problems.Select(p => (p.Line, p.Code)));
        Assert.False(report.IsValid);
    }

    [Fact]
    public async Task Validate_MixedFormats_IsAProblemAtTheFirstOddLine()
    {
        var report = await ValidateAsync(Encoding.UTF8.GetBytes($"{Preference}\n{Preference}\n{Chat}\n"));

        var problem = Assert.Single(report.Problems);
        Assert.Equal((3, DatasetFileValidation.MixedFormats), (problem.Line, problem.Code));
        Assert.Equal(ExampleFormat.Preference, report.Format);
    }

    [Fact]
    public async Task Validate_BytesThatAreNotUtf8_AreAProblem()
    {
        var report = await ValidateAsync([.. Encoding.UTF8.GetBytes(Chat + "\n"), 0xFF, 0xFE, (byte)'\n']);

        Assert.Contains(DatasetFileValidation.NotUtf8, report.Problems.Select(p => p.Code));
    }

    private Task<DatasetFileReport> ValidateAsync(byte[] bytes) => DatasetFileValidation.ValidateAsync(new MemoryStream(bytes), _validator);
}
