using Microsoft.Extensions.Time.Testing;

namespace Ragtune.Core.Tests;

public sealed class UlidTests
{
    [Fact]
    public void New_InTheSameMillisecond_SortsInTheOrderMade()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

        var ids = Enumerable.Range(0, 1000).Select(_ => Ulid.New(time)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void New_FromManyThreadsInTheSameMillisecond_IsUniqueAndEachThreadsIdsAscend()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

        var perThread = Enumerable.Range(0, 4).AsParallel().Select(_ => Enumerable.Range(0, 500).Select(_ => Ulid.New(time)).ToList()).ToList();

        Assert.Equal(2000, perThread.SelectMany(ids => ids).Distinct(StringComparer.Ordinal).Count());
        Assert.All(perThread, ids => Assert.Equal(ids, ids.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void New_LaterMillisecond_SortsAfter_AndStartsWithTheTimestamp()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var first = Ulid.New(time);
        time.Advance(TimeSpan.FromMilliseconds(1));

        var second = Ulid.New(time);

        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.NotEqual(first[..10], second[..10]);
        Assert.Equal(first[..9], second[..9]);
    }

    [Fact]
    public void New_EarlierClock_KeepsItsOwnTimestamp()
    {
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var past = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var recent = Ulid.New(now);

        var old = Ulid.New(past);

        Assert.True(string.CompareOrdinal(old, recent) < 0);
    }

    [Theory]
    [InlineData("01JD0000000000000000000000", true)]
    [InlineData("01jd0000000000000000000000", true)]
    [InlineData("81JD0000000000000000000000", false)]
    [InlineData("01JD000000000000000000000", false)]
    [InlineData("01JD000000000000000000000U", false)]
    [InlineData(null, false)]
    public void IsValid_AcceptsOnlyWellFormedIds(string? value, bool expected) => Assert.Equal(expected, Ulid.IsValid(value));

    [Fact]
    public void New_IsValid() => Assert.True(Ulid.IsValid(Ulid.New(TimeProvider.System)));
}
