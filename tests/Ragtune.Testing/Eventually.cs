namespace Ragtune.Testing;

/// <summary>Waits on a condition instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds, or fails after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Still not true after {timeout.TotalSeconds:0.#} s: {because}");
            }
        }
    }

    /// <summary>Polls a synchronous condition.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string because) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, because);
}
