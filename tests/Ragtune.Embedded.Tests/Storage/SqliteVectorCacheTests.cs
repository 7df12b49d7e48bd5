using Microsoft.Extensions.Logging.Abstractions;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>
/// The vectors in memory against the file. Writes through <see cref="TestIndex.Index"/> go through a cache of its own:
/// for the cache under test they are another process's.
/// </summary>
public sealed class SqliteVectorCacheTests : IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();
    private readonly SqliteVectorCache _cache;

    public SqliteVectorCacheTests() => _cache = new SqliteVectorCache(_index.Database, NullLogger.Instance);

    public void Dispose()
    {
        _cache.Dispose();
        _index.Dispose();
    }

    [Fact]
    public async Task GetAsync_FirstCall_ReadsTheFileAtItsVersion_ThenKeepsTheSnapshot()
    {
        await _index.ReplaceAsync("a.md", [("one", TestVectors.Of(1f)), ("two", TestVectors.Of(0f, 1f))]);
        Assert.False(_cache.IsLoaded);

        var first = await _cache.GetAsync(CancellationToken.None);

        Assert.Equal((await _index.ReadStateAsync()).Version, first.Version);
        Assert.Equal(2, first.LiveRows);
        Assert.Same(first, await _cache.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task CatchUpAsync_AfterAnotherProcessWrote_ReadsTheVectorsAgainAtTheFilesVersion()
    {
        await _index.ReplaceAsync("a.md", [("one", TestVectors.Of(1f))]);
        var before = await _cache.GetAsync(CancellationToken.None);
        await _index.ReplaceAsync("b.md", [("two", TestVectors.Of(0f, 1f)), ("three", TestVectors.Of(0f, 0f, 1f))]);
        var state = await _index.ReadStateAsync();

        await _cache.CatchUpAsync(state.Version, CancellationToken.None);

        var after = await _cache.GetAsync(CancellationToken.None);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(state.Version, after.Version);
        Assert.Equal(3, after.LiveRows);
    }

    [Fact]
    public async Task CatchUpAsync_VersionAlreadyReached_KeepsTheSnapshot()
    {
        await _index.ReplaceAsync("a.md", [("one", TestVectors.Of(1f))]);
        var loaded = await _cache.GetAsync(CancellationToken.None);

        await _cache.CatchUpAsync(loaded.Version, CancellationToken.None);

        Assert.Same(loaded, await _cache.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_ChangeOfTheNextVersion_IsAppliedToTheVectors()
    {
        var documentId = await _index.ReplaceAsync("a.md", [("one", TestVectors.Of(1f))]);
        var loaded = await _cache.GetAsync(CancellationToken.None);
        var next = loaded.Version + 1;

        await _cache.WriteAsync(() => Change(next, vectors => vectors.WithoutDocument(next, documentId)), CancellationToken.None);

        var updated = await _cache.GetAsync(CancellationToken.None);
        Assert.Equal(next, updated.Version);
        Assert.Equal(0, updated.LiveRows);
    }

    [Fact]
    public async Task WriteAsync_ChangeThatSkipsAVersion_DropsTheVectorsToBeReadAgain()
    {
        await _index.ReplaceAsync("a.md", [("one", TestVectors.Of(1f))]);
        var loaded = await _cache.GetAsync(CancellationToken.None);

        await _cache.WriteAsync(() => Change(loaded.Version + 2, _ => throw new InvalidOperationException("not to be applied")), CancellationToken.None);

        Assert.False(_cache.IsLoaded);
        var reloaded = await _cache.GetAsync(CancellationToken.None);
        Assert.NotSame(loaded, reloaded);
        Assert.Equal(loaded.Version, reloaded.Version);
        Assert.Equal(1, reloaded.LiveRows);
    }

    [Fact]
    public async Task WriteAsync_BeforeTheVectorsAreLoaded_LeavesThemToTheFirstSearch()
    {
        await _cache.WriteAsync(() => Change(1, _ => throw new InvalidOperationException("not to be applied")), CancellationToken.None);

        Assert.False(_cache.IsLoaded);
    }

    [Fact]
    public async Task WriteAsync_NoChange_KeepsTheSnapshot()
    {
        var loaded = await _cache.GetAsync(CancellationToken.None);

        await _cache.WriteAsync(() => Task.FromResult<VectorChange?>(null), CancellationToken.None);

        Assert.Same(loaded, await _cache.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_WhileAnotherWriteRuns_StartsOnlyWhenItEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _cache.WriteAsync(
            async () =>
            {
                await release.Task;
                return null;
            },
            CancellationToken.None);
        var secondStarted = false;

        var second = _cache.WriteAsync(
            () =>
            {
                secondStarted = true;
                return Task.FromResult<VectorChange?>(null);
            },
            CancellationToken.None);

        Assert.False(secondStarted);
        Assert.False(second.IsCompleted);
        release.SetResult();
        await Task.WhenAll(first, second);
        Assert.True(secondStarted);
    }

    private static Task<VectorChange?> Change(long version, Func<VectorSnapshot, VectorSnapshot> apply) =>
        Task.FromResult<VectorChange?>(new VectorChange(version, apply));
}
