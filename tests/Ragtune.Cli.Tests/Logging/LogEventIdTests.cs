using System.Reflection;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Logging;

/// <summary>
/// Every <c>[LoggerMessage]</c> of every project under <c>src/</c>, read by reflection from its assembly: no two share an
/// event id, and each is in its project's range, so a log query by id finds one message in either host.
/// </summary>
public sealed class LogEventIdTests
{
    /// <summary>
    /// The event ids each project's log messages take (a new project takes the next free thousand). Within a project,
    /// each area (one <c>Log</c> class) takes a hundred: Core's ingestion 1001-1099, answering 1101-, health 1201-,
    /// fine-tuning 1301-, feedback 1401-; Embedded's folder watcher 4001-, SQLite 4100-, MiniLM 4301-; Azure's search
    /// 5001-, blob datasets 5101-; Cli's export schedule 7001-, retention 7101-.
    /// </summary>
    private static readonly Dictionary<string, (int First, int Last)> Ranges = new(StringComparer.Ordinal)
    {
        ["Ragtune.Core"] = (1000, 1999),
        ["Ragtune.Http"] = (2000, 2999),
        ["Ragtune.OpenAI"] = (3000, 3999),
        ["Ragtune.Embedded"] = (4000, 4999),
        ["Ragtune.Azure"] = (5000, 5999),
        ["Ragtune.Functions"] = (6000, 6999),
        ["Ragtune.Cli"] = (7000, 7999),
    };

    [Fact]
    public void EveryLogMessage_HasAnEventIdNoOtherMessageHas()
    {
        var messages = LogMessages().ToList();

        var shared = messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();

        Assert.True(messages.Count > 30, $"only {messages.Count} log messages were found");
        Assert.True(shared.Count == 0, "Event ids used more than once:\n" + string.Join('\n', shared));
    }

    [Fact]
    public void EveryLogMessage_HasAnEventIdInItsProjectsRange()
    {
        var outside = LogMessages()
            .Where(m => m.EventId < Ranges[m.Project].First || m.EventId > Ranges[m.Project].Last)
            .Select(m => $"{m.Method}: {m.EventId}, outside {m.Project}'s {Ranges[m.Project].First}-{Ranges[m.Project].Last}")
            .ToList();

        Assert.True(outside.Count == 0, string.Join('\n', outside));
    }

    [Fact]
    public void EverySourceProject_HasARange_AndIsRead()
    {
        var projects = SourceProjects().Select(p => p.Project).ToList();

        Assert.NotEmpty(projects);
        Assert.All(projects, project => Assert.True(Ranges.ContainsKey(project), $"{project} has no event id range here"));
        Assert.All(SourceProjects(), p => Assert.NotNull(Assembly.Load(p.AssemblyName)));
    }

    private static IEnumerable<(string Project, string Method, int EventId)> LogMessages() =>
        from project in SourceProjects()
        let assembly = Assembly.Load(project.AssemblyName)
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (project.Project, $"{type.FullName}.{method.Name}", attribute.EventId);

    /// <summary>The projects under <c>src/</c> (<c>src/NAME/NAME.csproj</c>), each with the name of its assembly (the project's name unless it sets another).</summary>
    private static IEnumerable<(string Project, AssemblyName AssemblyName)> SourceProjects() =>
        from folder in Directory.EnumerateDirectories(Path.Combine(SharedData.RepositoryRoot, "src"))
        from file in Directory.EnumerateFiles(folder, "*.csproj")
        let project = Path.GetFileNameWithoutExtension(file)
        let assemblyName = XDocument.Load(file).Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault() ?? project
        orderby project
        select (project, new AssemblyName(assemblyName));
}
