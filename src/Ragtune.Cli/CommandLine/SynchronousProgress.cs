namespace Ragtune.Cli.CommandLine;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread, in order. (<see cref="Progress{T}"/> posts to
/// the thread pool, so the last reports can arrive after the work is done.)
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
