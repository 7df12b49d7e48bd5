using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

public sealed class ActiveModelTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_NoChange_IsTheConfiguredModel_WithNothingToRollBack()
    {
        Assert.Equal(ActiveModel.Configured, ActiveModel.From([]));
    }

    [Fact]
    public void From_Promotions_TheNewestIsActive_AndTheOneBeforeIsWhatARollbackRestores()
    {
        var model = ActiveModel.From([Promoted(1, "ft-a"), Promoted(2, "ft-b")]);

        Assert.Equal(("ft-b", "run-ft-b", "ft-a", true), (model.Model, model.RunId, model.Previous, model.CanRollBack));
        Assert.Equal(Noon.AddDays(2), model.Since);
    }

    [Fact]
    public void From_RollbacksUndoPromotionsNewestFirst_BackToTheConfiguredModel()
    {
        List<ModelChange> changes = [Promoted(1, "ft-a"), Promoted(2, "ft-b"), RolledBack(3, "ft-a")];

        var once = ActiveModel.From(changes);
        var twice = ActiveModel.From([.. changes, RolledBack(4, null)]);

        Assert.Equal(("ft-a", (string?)null, true), (once.Model, once.Previous, once.CanRollBack));
        Assert.Equal((null, false, Noon.AddDays(4)), (twice.Model, twice.CanRollBack, twice.Since));
    }

    [Fact]
    public void From_APromotionAfterARollback_StacksOnWhatIsActive()
    {
        var model = ActiveModel.From([Promoted(1, "ft-a"), Promoted(2, "ft-b"), RolledBack(3, "ft-a"), Promoted(4, "ft-c")]);

        Assert.Equal(("ft-c", "ft-a"), (model.Model, model.Previous));
    }

    private static ModelChange Promoted(int sequence, string model) =>
        new(sequence, ModelChangeKind.Promoted, model, model, $"run-{model}", Noon.AddDays(sequence));

    private static ModelChange RolledBack(int sequence, string? model) =>
        new(sequence, ModelChangeKind.RolledBack, model, model, null, Noon.AddDays(sequence));
}
