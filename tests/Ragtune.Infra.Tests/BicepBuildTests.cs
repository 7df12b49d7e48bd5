using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ragtune.Infra.Tests;

/// <summary>infra/main.bicep builds and lints offline with the packaged Bicep CLI, with nothing to report.</summary>
public sealed partial class BicepBuildTests
{
    [Fact]
    public void Build_MainBicep_WritesTheTemplateWithNoErrorOrWarning()
    {
        var build = MainTemplate.Build;

        Assert.True(build.ExitCode == 0, build.Transcript);
        Assert.True(string.IsNullOrWhiteSpace(build.Errors), build.Transcript);
        Assert.EndsWith("/subscriptionDeploymentTemplate.json#", (string?)MainTemplate.Json["$schema"]);
    }

    [Fact]
    public void Lint_MainBicepAndItsModules_ReportNothing()
    {
        var lint = BicepCli.Run("lint", InfraFiles.MainBicep);

        Assert.True(lint.ExitCode == 0, lint.Transcript);
        Assert.True(string.IsNullOrWhiteSpace(lint.Errors) && string.IsNullOrWhiteSpace(lint.Output), lint.Transcript);
    }

    [Fact]
    public void LinterConfiguration_KeepsEveryRuleItSetsAtWarningOrError()
    {
        var configuration = JsonNode.Parse(File.ReadAllText(InfraFiles.BicepConfig))!;
        var core = configuration["analyzers"]?["core"];

        Assert.True(core?["enabled"]?.GetValue<bool>(), "The linter is switched off.");
        var rules = core?["rules"]?.AsObject() ?? [];
        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.Contains((string?)rule.Value?["level"], new[] { "warning", "error" }));
    }

    [Fact]
    public void Modules_AreLocalFilesBesideTheTemplate()
    {
        var references = InfraFiles.BicepFiles
            .SelectMany(file => ModuleOrImport().Matches(File.ReadAllText(file)).Select(match => (File: file, Path: match.Groups["path"].Value)))
            .ToList();

        Assert.Contains(references, reference => reference.File == InfraFiles.MainBicep);
        Assert.All(references, reference =>
        {
            Assert.DoesNotMatch("^(br|ts)[:/]", reference.Path);
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(reference.File)!, reference.Path)), $"{reference.File} refers to {reference.Path}, which is not there.");
        });
    }

    [GeneratedRegex(@"^\s*(module\s+\w+|import\s.*\bfrom)\s+'(?<path>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleOrImport();
}
