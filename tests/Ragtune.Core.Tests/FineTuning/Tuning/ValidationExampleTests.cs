using System.Text;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

public sealed class ValidationExampleTests
{
    [Fact]
    public void Read_Sft_ThePromptIsEveryMessageButTheLast_AndTheReferenceIsTheAnswer()
    {
        var jsonl = "\uFEFF" + """{"messages":[{"role":"system","content":"Use the sources."},{"role":"user","content":"How long?"},{"role":"assistant","content":"Two years [1]."}]}""" + "\n";

        var example = Assert.Single(ValidationExample.Read(Encoding.UTF8.GetBytes(jsonl), TuningMethod.Sft));

        Assert.Equal(1, example.Line);
        Assert.Equal(["Use the sources.", "How long?"], example.Prompt.Select(m => m.Text));
        Assert.Equal(["system", "user"], example.Prompt.Select(m => m.Role.Value));
        Assert.Equal("Two years [1].", example.Reference);
    }

    [Fact]
    public void Read_Dpo_ThePromptIsTheInput_AndTheReferenceThePreferredOutput()
    {
        var jsonl = """{"input":{"messages":[{"role":"system","content":"S"},{"role":"user","content":"Q"}]},"preferred_output":[{"role":"assistant","content":"Good."}],"non_preferred_output":[{"role":"assistant","content":"Bad."}]}""" + "\n"
            + """{"input":{"messages":[{"role":"user","content":"Q2"}]},"preferred_output":[{"role":"assistant","content":"Good 2."}],"non_preferred_output":[{"role":"assistant","content":"Bad 2."}]}""" + "\n";

        var examples = ValidationExample.Read(Encoding.UTF8.GetBytes(jsonl), TuningMethod.Dpo);

        Assert.Equal(["Good.", "Good 2."], examples.Select(e => e.Reference));
        Assert.Equal([2, 1], examples.Select(e => e.Prompt.Count));
        Assert.Equal(2, examples[1].Line);
    }

    [Fact]
    public void Read_AnSftLineWithoutAnAnswer_IsAnErrorNamingTheLine()
    {
        var jsonl = """{"messages":[{"role":"user","content":"Q"}]}""";

        var error = Assert.Throws<InvalidDataException>(() => ValidationExample.Read(Encoding.UTF8.GetBytes(jsonl), TuningMethod.Sft));

        Assert.Contains("Line 1", error.Message, StringComparison.Ordinal);
    }
}
