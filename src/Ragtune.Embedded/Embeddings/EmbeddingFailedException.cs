using Ragtune.Core;

namespace Ragtune.Embedded.Embeddings;

/// <summary>
/// The embedded model could not be loaded or could not embed an input. Permanent: the same input on the same model
/// fails the same way, so retrying cannot help.
/// </summary>
public sealed class EmbeddingFailedException : RagtuneException
{
    public EmbeddingFailedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public override bool IsTransient => false;
}
