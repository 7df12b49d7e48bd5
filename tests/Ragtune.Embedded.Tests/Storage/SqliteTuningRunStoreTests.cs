using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Embedded.Storage;
using Ragtune.Testing.Contracts;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>Tuning runs and model changes in the ratings file: the seam's contract, and what a second process sees.</summary>
public sealed class SqliteTuningRunStoreTests : TuningRunStoreContract, IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();
    private readonly SqliteTuningRunStore _store;

    public SqliteTuningRunStoreTests() => _store = new SqliteTuningRunStore(_index.Ratings);

    protected override ITuningRunStore Store => _store;

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task ASecondStoreOnTheSameFile_SeesTheRunsAndTheActiveModel()
    {
        var run = await _store.CreateAsync(TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon));
        await _store.AppendModelChangeAsync(new ModelChange(1, ModelChangeKind.Promoted, "ft:x", "ft:x", run.RunId, Noon));
        using var other = _index.OpenSecond();

        var elsewhere = new SqliteTuningRunStore(other.Ratings);

        AssertSame(run, await elsewhere.FindAsync(run.RunId));
        Assert.Equal("ft:x", ActiveModel.From(await elsewhere.ReadModelChangesAsync()).Model);
    }
}
