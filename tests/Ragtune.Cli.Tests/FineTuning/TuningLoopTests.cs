using System.Text.Json;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.Contract;
using Ragtune.Cli.Tests.Http;
using Ragtune.Testing.Loopback;
using Xunit.Abstractions;

namespace Ragtune.Cli.Tests.FineTuning;

/// <summary>
/// The whole loop on <c>ragtune serve</c> against a loopback fine-tuning service: answers are rated, exported, trained
/// on, judged against the active model, and the winner answers the next question, with no restart; a loser changes
/// nothing; a server stopped mid-run resumes its run with the same job.
/// </summary>
public sealed class TuningLoopTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private static readonly string[] Ended = ["promoted", "rejected", "insufficient-evidence", "failed", "job-failed", "job-cancelled"];

    [Fact]
    public async Task Serve_AutoTune_ABetterCandidate_IsPromoted_AndTheNextAskUsesIt()
    {
        await using var serve = await TuningServe.StartAsync(autoTune: true);
        serve.Service.Answer = (model, messages) => model == TuningServe.BaseModel ? "I am not sure what the warranty covers [1]." : TuningServe.RightAnswerTo(messages);
        await serve.AskAndRateAsync(30, (n, _) => new { rating = "down", correction = TuningServe.RightAnswer(n) });

        var export = await serve.ExportAsync();
        serve.Service.Throttle(2, TimeSpan.FromSeconds(1));
        var run = await serve.WaitForRunAsync(Deadline, Ended);

        output.WriteLine(serve.Report(export));
        ApiShapes.HasExactly(run, ["runId", "export", "jobId", "state", "fineTunedModel", "evaluation", "verdict"]);
        ApiShapes.HasExactly(run.GetProperty("evaluation"), ["examples", "active", "candidate", "difference", "ci95"]);
        Assert.Equal(("promoted", "promoted", export), (run.GetProperty("state").GetString(), run.GetProperty("verdict").GetString(), run.GetProperty("export").GetString()));
        Assert.Equal(LoopbackFineTuningService.FineTunedModel, run.GetProperty("fineTunedModel").GetString());
        Assert.True(run.GetProperty("evaluation").GetProperty("ci95")[0].GetDouble() > 0);
        Assert.Single(serve.Service.Jobs);

        var answer = await serve.Client.AskAsync(new { question = "Question 99: how long is the battery warranty?" });
        Assert.Equal(LoopbackFineTuningService.FineTunedModel, answer.GetProperty("model").GetString());
        Assert.Equal(TuningServe.RightAnswer(99), answer.GetProperty("answer").GetString());
        var fineTuning = (await serve.Client.GetJsonAsync("/api/datasets")).GetProperty("fineTuning");
        Assert.Equal((LoopbackFineTuningService.FineTunedModel, true), (fineTuning.GetProperty("activeModel").GetProperty("model").GetString(), fineTuning.GetProperty("activeModel").GetProperty("fineTuned").GetBoolean()));
        Assert.Equal(JsonValueKind.String, fineTuning.GetProperty("activeModel").GetProperty("since").ValueKind);
        Assert.Equal("promoted", fineTuning.GetProperty("lastRun").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Serve_AutoTune_AWorseCandidate_IsRejected_AndNothingChanges()
    {
        await using var serve = await TuningServe.StartAsync(autoTune: true);
        serve.Service.Answer = (model, messages) => model == TuningServe.BaseModel ? TuningServe.RightAnswerTo(messages) : "The battery is blue.";
        await serve.AskAndRateAsync(30, (_, _) => new { rating = "up" });

        var export = await serve.ExportAsync();
        var run = await serve.WaitForRunAsync(Deadline, Ended);

        output.WriteLine(serve.Report(export));
        Assert.Equal(("rejected", "rejected"), (run.GetProperty("state").GetString(), run.GetProperty("verdict").GetString()));
        Assert.True(run.GetProperty("evaluation").GetProperty("difference").GetDouble() < 0);
        Assert.Equal(TuningServe.BaseModel, (await serve.StatusAsync()).GetProperty("activeModel").GetString());
        var answer = await serve.Client.AskAsync(new { question = "Question 99: how long is the battery warranty?" });
        Assert.Equal(TuningServe.BaseModel, answer.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Serve_StoppedWhileTheJobRuns_ResumesTheSameRunWithOneJob()
    {
        await using var serve = await TuningServe.StartAsync(autoTune: true);
        serve.Service.JobScript = [.. Enumerable.Repeat("running", 40), "succeeded"];
        serve.Service.Answer = (model, messages) => model == TuningServe.BaseModel ? "I am not sure [1]." : TuningServe.RightAnswerTo(messages);
        await serve.AskAndRateAsync(30, (n, _) => new { rating = "down", correction = TuningServe.RightAnswer(n) });
        await serve.ExportAsync();
        var running = await serve.WaitForRunAsync(Deadline, "job-running");

        await serve.StopServerAsync();
        await serve.StartServerAsync();
        var run = await serve.WaitForRunAsync(Deadline, Ended);

        Assert.Equal(running.GetProperty("runId").GetString(), run.GetProperty("runId").GetString());
        Assert.Equal("promoted", run.GetProperty("state").GetString());
        Assert.Single(serve.Service.Jobs);
        Assert.Equal(running.GetProperty("jobId").GetString(), run.GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task TuneCommand_Waits_Promotes_ThenRollbackRestoresTheConfiguredModel_OnTheRunningServer()
    {
        await using var serve = await TuningServe.StartAsync(autoTune: false);
        serve.Service.Answer = (model, messages) => model == TuningServe.BaseModel ? "I am not sure [1]." : TuningServe.RightAnswerTo(messages);
        await serve.AskAndRateAsync(30, (n, _) => new { rating = "down", correction = TuningServe.RightAnswer(n) });
        var export = await serve.ExportAsync();

        var tuned = await serve.TuneAsync("--wait", "--json");
        var again = await serve.TuneAsync("--export", export, "--json");

        Assert.True(tuned.ExitCode == ExitCodes.Success, tuned.Output);
        var run = JsonDocument.Parse(tuned.Output).RootElement;
        Assert.Equal(("promoted", export), (run.GetProperty("state").GetString(), run.GetProperty("export").GetString()));
        Assert.Equal(run.GetProperty("runId").GetString(), JsonDocument.Parse(again.Output).RootElement.GetProperty("runId").GetString());
        Assert.Single(serve.Service.Jobs);
        var status = await serve.StatusAsync();
        ApiShapes.HasExactly(status, ["runs", "activeModel"]);
        Assert.Equal(LoopbackFineTuningService.FineTunedModel, status.GetProperty("activeModel").GetString());
        Assert.Equal(LoopbackFineTuningService.FineTunedModel, (await serve.Client.AskAsync(new { question = "Question 7: how long is the battery warranty?" })).GetProperty("model").GetString());

        var rollback = await serve.TuneAsync("rollback");

        Assert.True(rollback.ExitCode == ExitCodes.Success, rollback.Output);
        Assert.Equal(TuningServe.BaseModel, (await serve.Client.AskAsync(new { question = "Question 8: how long is the battery warranty?" })).GetProperty("model").GetString());
        Assert.Equal(ExitCodes.Failure, (await serve.TuneAsync("rollback")).ExitCode);
    }

    [Fact]
    public async Task TuneCommand_AJobThatFails_AndAFileTheServiceRejects_EndWithTheirReasons_AndChangeNothing()
    {
        await using var serve = await TuningServe.StartAsync(autoTune: false);
        await serve.AskAndRateAsync(30, (n, _) => new { rating = "down", correction = TuningServe.RightAnswer(n) });
        await serve.ExportAsync();
        serve.Service.JobScript = ["running", "failed"];

        var failedJob = await serve.TuneAsync("--method", "sft", "--wait");
        serve.Service.RejectUploads = ("invalid_file_format", "Line 1 is not a chat example.");
        var rejectedFile = await serve.TuneAsync("--method", "dpo", "--wait", "--json");

        Assert.Equal(ExitCodes.Failure, failedJob.ExitCode);
        Assert.Contains("invalid_training_file", failedJob.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, rejectedFile.ExitCode);
        Assert.Equal("failed", JsonDocument.Parse(rejectedFile.Output).RootElement.GetProperty("state").GetString());
        Assert.Single(serve.Service.Jobs);
        var status = await serve.StatusAsync();
        Assert.Equal(["failed", "job-failed"], status.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("state").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(TuningServe.BaseModel, status.GetProperty("activeModel").GetString());
        var human = await serve.TuneAsync("status");
        Assert.Contains("invalid_file_format: Line 1 is not a chat example.", human.Output, StringComparison.Ordinal);
    }
}
