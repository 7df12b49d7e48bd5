using System.Text.RegularExpressions;
using Ragtune.Testing;

namespace Ragtune.Infra.Tests;

/// <summary>
/// README's table of the Functions app's settings (Run in Azure) against the compiled main.bicep: every setting the
/// template gives the function app is listed as set by infra, with sign-in's under <c>RAGTUNE_AUTH=entra</c>, and
/// nothing listed as set by infra that the template does not set.
/// </summary>
public sealed partial class ReadmeAppSettingsTests
{
    private const string Header = "| setting | required | set by `infra/` | meaning |";

    private static readonly IReadOnlyList<(string Name, string SetByInfra)> Rows = ReadTable();

    [Fact]
    public void Readme_ListsEverySettingMainBicepSets_AsSetByInfra_AndNoOther()
    {
        var listed = Listed("yes");

        var missing = AppSettings.Compiled.Keys.Except(listed).Order(StringComparer.Ordinal).ToList();
        var extra = listed.Except(AppSettings.Compiled.Keys).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, $"main.bicep sets these, README's table does not say so: {string.Join(", ", missing)}");
        Assert.True(extra.Count == 0, $"README's table says infra sets these, main.bicep does not: {string.Join(", ", extra)}");
    }

    [Fact]
    public void Readme_ListsTheSignInSettings_AsSetWithRagtuneAuth()
    {
        Assert.Equal(AppSettings.SignIn.Keys.Order(StringComparer.Ordinal), Listed("with `RAGTUNE_AUTH=entra`").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Readme_ListsTheAutoTuneSettings_AsSetWithRagtuneAutoTune()
    {
        Assert.Equal(AppSettings.AutoTune.Keys.Order(StringComparer.Ordinal), Listed("with `RAGTUNE_AUTO_TUNE=true`").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Readme_SettingsNotSetByInfra_AreNotInTheTemplate()
    {
        var notSet = Listed("no");

        Assert.NotEmpty(notSet);
        Assert.Empty(notSet.Intersect(AppSettings.Compiled.Keys.Concat(AppSettings.SignIn.Keys).Concat(AppSettings.AutoTune.Keys)));
        Assert.All(Rows, row => Assert.Contains(row.SetByInfra, new[] { "yes", "no", "with `RAGTUNE_AUTH=entra`", "with `RAGTUNE_AUTO_TUNE=true`" }));
    }

    private static List<string> Listed(string setByInfra) =>
        Rows.Where(row => row.SetByInfra == setByInfra).Select(row => row.Name).ToList();

    /// <summary>
    /// The table's rows, one per setting: a cell lists names in backticks, and a name that starts with <c>__</c> shares
    /// the section of the full name before it (<c>`Ragtune__Search__Endpoint`, `__IndexName`</c>).
    /// </summary>
    private static List<(string Name, string SetByInfra)> ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "README.md"));
        var header = Array.IndexOf(lines, Header);
        Assert.True(header >= 0, $"README.md has no table headed {Header}");

        var rows = new List<(string, string)>();
        foreach (var line in lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|')))
        {
            var cells = line.Split('|').Skip(1).Select(cell => cell.Trim()).ToArray();
            var prefix = string.Empty;
            foreach (var name in Code().Matches(cells[0]).Select(match => match.Groups["name"].Value))
            {
                var full = name.StartsWith("__", StringComparison.Ordinal) ? prefix + name[2..] : name;
                var section = full.LastIndexOf("__", StringComparison.Ordinal);
                prefix = section >= 0 ? full[..(section + 2)] : prefix;
                rows.Add((full, cells[2]));
            }
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    [GeneratedRegex("`(?<name>[^`]+)`")]
    private static partial Regex Code();
}
