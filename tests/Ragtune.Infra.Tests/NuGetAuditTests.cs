using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ragtune.Testing;

namespace Ragtune.Infra.Tests;

/// <summary>
/// A NuGet audit advisory published after the code was tested fails the build, `dotnet test` and so CI, but not the
/// `dotnet publish` that `azd deploy` runs. A project of a test's own, under the repository's Directory.Build.props,
/// references a package an audit source on loopback calls vulnerable; the advisory data comes from that source alone.
/// </summary>
public sealed class NuGetAuditTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);
    private const string Package = "Cronos";
    private const string Version = "0.13.0"; // already restored for the solution: nothing is downloaded

    private readonly TempDirectory _project = new();
    private readonly HttpListener _auditSource = new();

    public NuGetAuditTests()
    {
        var port = FreePort();
        var root = $"http://127.0.0.1:{port}/";
        _auditSource.Prefixes.Add(root);
        _auditSource.Start();
        _ = ServeAsync(new Dictionary<string, string>
        {
            ["/index.json"] = $$"""{"version":"3.0.0","resources":[{"@id":"{{root}}vulnerabilities/index.json","@type":"VulnerabilityInfo/6.7.0"}]}""",
            ["/vulnerabilities/index.json"] = $$"""[{"@name":"base","@id":"{{root}}vulnerabilities/base.json","@updated":"2026-12-01T00:00:00Z"},{"@name":"update","@id":"{{root}}vulnerabilities/update.json","@updated":"2026-12-01T00:00:00Z"}]""",
            ["/vulnerabilities/base.json"] = $$"""{"{{Package.ToLowerInvariant()}}":[{"severity":2,"url":"https://example.invalid/advisory","versions":"(, 99.0.0)"}]}""",
            ["/vulnerabilities/update.json"] = "{}",
        });

        _project.WriteFile("Directory.Build.props", $"""<Project><Import Project="{Path.Combine(SharedData.RepositoryRoot, "Directory.Build.props")}" /></Project>""");
        _project.WriteFile("Directory.Packages.props", "<Project />");
        _project.WriteFile("NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <auditSources>
                <clear />
                <add key="loopback" value="{root}index.json" allowInsecureConnections="true" />
              </auditSources>
            </configuration>
            """);
        _project.WriteFile("AuditProbe.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="{Package}" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        _project.WriteFile("Probe.cs", "namespace AuditProbe;\n\npublic static class Probe\n{\n    public const int Value = 1;\n}\n");
    }

    [Fact]
    public void Advisory_FailsTheBuild_ButNotThePublishAzdDeployRuns()
    {
        var build = Dotnet("build");

        Assert.True(build.ExitCode != 0, build.Output);
        Assert.Contains($"error NU1903: Warning As Error: Package '{Package}' {Version} has a known high severity vulnerability", build.Output, StringComparison.Ordinal);

        var publish = Dotnet("publish", "--output", _project.Combine("published"));

        Assert.True(publish.ExitCode == 0, publish.Output);
        Assert.Contains($"warning NU1903: Package '{Package}' {Version} has a known high severity vulnerability", publish.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(_project.Combine("published", "AuditProbe.dll")), publish.Output);
    }

    private (int ExitCode, string Output) Dotnet(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _project.Path,
        };
        foreach (var argument in arguments.Append("--disable-build-servers"))
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild settings stay out of this build; no build server outlives it.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} ran longer than {Deadline}.");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult() + errors.GetAwaiter().GetResult());
    }

    private async Task ServeAsync(IReadOnlyDictionary<string, string> files)
    {
        while (_auditSource.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _auditSource.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var found = files.TryGetValue(context.Request.Url?.AbsolutePath ?? string.Empty, out var body);
            var bytes = Encoding.UTF8.GetBytes(body ?? string.Empty);
            context.Response.StatusCode = found ? 200 : 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _auditSource.Close();
        _project.Dispose();
    }
}
