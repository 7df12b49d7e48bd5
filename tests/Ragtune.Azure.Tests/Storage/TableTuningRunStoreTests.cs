using Ragtune.Azure.Storage;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Testing;
using Ragtune.Testing.Contracts;

namespace Ragtune.Azure.Tests.Storage;

/// <summary>Tuning runs and model changes on Table Storage (Azurite): the contract the SQLite store passes, across instances.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableTuningRunStoreTests(Azurite azurite) : TuningRunStoreContract
{
    private readonly Microsoft.Extensions.Options.IOptions<AzureStorageOptions> _options = AzuriteStorage.UniqueOptions(azurite);

    protected override ITuningRunStore Store => new TableTuningRunStore(AzuriteStorage.Tables(azurite), _options);

    [Fact]
    public async Task AnotherInstance_SeesTheRunAndTheActiveModel_AndItsStaleSaveIsRefused()
    {
        var mine = new TableTuningRunStore(AzuriteStorage.Tables(azurite), _options);
        var theirs = new TableTuningRunStore(AzuriteStorage.Tables(azurite), _options);
        var run = await mine.CreateAsync(TuningRun.Create(Export, TuningMethod.Sft, "gpt-4.1-mini", Noon));
        await theirs.UpdateAsync((await theirs.FindAsync(run.RunId))!.FilesUploaded("file-b", null, Noon));
        await mine.AppendModelChangeAsync(new ModelChange(1, ModelChangeKind.Promoted, "ft:x", "ft:x", run.RunId, Noon));

        await Assert.ThrowsAsync<TuningRunConflictException>(() => mine.UpdateAsync(run.FilesUploaded("file-a", null, Noon)));
        Assert.Equal("ft:x", ActiveModel.From(await theirs.ReadModelChangesAsync()).Model);
    }
}
