using System.Text;
using System.Text.Json;
using Ragtune.Cli.Tests.CommandLine;

namespace Ragtune.Cli.Tests.Verify;

/// <summary>Runs <c>ragtune verify --json</c> and reads its checks.</summary>
public static class VerifyRun
{
    /// <summary>An unsigned JWT whose payload names the <c>board</c> group: verify reads it to choose the groups a forged header claims.</summary>
    public static readonly string BoardToken = "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"sub\":\"verify-test\",\"groups\":[\"board\"]}")).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".";

    public static async Task<(int ExitCode, JsonElement Report)> JsonAsync(params string[] args)
    {
        var run = await RagtuneCommand.RunAsync(["verify", "--json", .. args]);
        using var document = JsonDocument.Parse(run.Output);
        return (run.ExitCode, document.RootElement.Clone());
    }

    /// <summary>The outcome of each check, by name, in the order they ran.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Outcomes(JsonElement report) =>
        [.. report.GetProperty("checks").EnumerateArray().Select(c => new KeyValuePair<string, string>(c.GetProperty("name").GetString()!, c.GetProperty("outcome").GetString()!))];

    public static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
