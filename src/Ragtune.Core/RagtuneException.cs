namespace Ragtune.Core;

/// <summary>
/// The base of the few exceptions Ragtune's code raises on purpose. Each says whether trying again can help,
/// so a host can turn it into a retry (transient) or a recorded, visible failure (permanent).
/// </summary>
public abstract class RagtuneException : Exception
{
    protected RagtuneException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>True when the same operation may succeed if tried again later.</summary>
    public abstract bool IsTransient { get; }
}
