using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Testing;
using Ragtune.Testing.Contracts;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

/// <summary>The in-memory store the other tests use keeps the seam's contract.</summary>
public sealed class InMemoryTuningRunStoreTests : TuningRunStoreContract
{
    protected override ITuningRunStore Store { get; } = new InMemoryTuningRunStore();
}
