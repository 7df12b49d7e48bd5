using System.Globalization;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteChunkIndexConcurrencyTests : IDisposable
{
    private const int Documents = 6;
    private const int Readers = 3;
    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Readers_DuringReplacements_AlwaysSeeWholeDocumentsOfOneVersion()
    {
        for (var d = 0; d < Documents; d++)
        {
            await ReplaceAsync(d, 0);
        }

        // Readers on threads of their own: SQLite's async calls complete synchronously, so a writer on the thread pool
        // could otherwise run to the end before a pooled reader gets a thread.
        using var writing = new CancellationTokenSource();
        using var started = new CountdownEvent(Readers);
        var reads = 0;
        var readers = Enumerable.Range(0, Readers).Select(reader => Task.Factory.StartNew(
            () =>
            {
                var random = new Random(reader);
                var modes = new[] { SearchMode.Vector, SearchMode.Keyword, SearchMode.Hybrid };
                for (var search = 0; !writing.IsCancellationRequested; search++)
                {
                    var mode = modes[random.Next(modes.Length)];
                    var access = random.Next(2) == 0 ? AccessScope.Unrestricted : AccessScope.Public;
                    var query = new ChunkQuery(mode, "common words", TestVectors.Random(random), 100, new ChunkFilter(access, []));
                    CheckWholeDocuments(_index.Index.SearchAsync(query).GetAwaiter().GetResult(), access);
                    Interlocked.Increment(ref reads);
                    if (search == 0)
                    {
                        started.Signal();
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");

        var readsBefore = Volatile.Read(ref reads);
        // At least 60 rounds of replacements, and more while too few searches have overlapped them (a loaded machine can
        // leave the readers waiting for a core): the check means something only for searches that ran during the writes.
        for (var version = 1; version <= 60 || (Volatile.Read(ref reads) - readsBefore <= 20 && version <= 2_000); version++)
        {
            for (var d = 0; d < Documents; d++)
            {
                await ReplaceAsync(d, version);
            }
        }

        var readsDuring = Volatile.Read(ref reads) - readsBefore;
        await writing.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(readsDuring > 20, $"only {readsDuring} searches overlapped the writes");
    }

    /// <summary>Every document in a result has all the chunks of exactly one of its versions (top 100 covers them all).</summary>
    private static void CheckWholeDocuments(IReadOnlyList<ChunkHit> hits, AccessScope access)
    {
        var byDocument = hits.Select(h => Parse(h.Chunk.Text)).GroupBy(c => c.Document).ToArray();
        Assert.Equal(access.IsUnrestricted ? Documents : Documents / 2, byDocument.Length);
        foreach (var document in byDocument)
        {
            var versions = document.Select(c => c.Version).Distinct().ToArray();
            Assert.True(versions.Length == 1, $"document {document.Key} mixes versions {string.Join(", ", versions)}");
            Assert.Equal(ChunkCount(versions[0]), document.Count());
            Assert.True(access.IsUnrestricted || document.Key % 2 == 0, $"public caller saw group document {document.Key}");
        }
    }

    private static (int Document, int Version) Parse(string text)
    {
        var words = text.Split(' ');
        return (int.Parse(words[0][3..], CultureInfo.InvariantCulture), int.Parse(words[1][1..], CultureInfo.InvariantCulture));
    }

    private static int ChunkCount(int version) => 1 + (version % 4);

    private Task ReplaceAsync(int document, int version)
    {
        var random = new Random((document * 1000) + version);
        (string, float[])[] chunks =
        [
            .. Enumerable.Range(0, ChunkCount(version))
                .Select(i => (string.Create(CultureInfo.InvariantCulture, $"doc{document} v{version} c{i} common words"), TestVectors.Random(random))),
        ];
        return _index.ReplaceAsync($"doc-{document}.md", chunks, document % 2 == 0 ? [] : ["hr"]);
    }
}
