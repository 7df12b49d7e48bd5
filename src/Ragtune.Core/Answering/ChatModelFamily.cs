namespace Ragtune.Core.Answering;

/// <summary>
/// Which request parameters a chat model takes. Reasoning models (OpenAI's o-series and gpt-5 family) think before
/// they answer: they reject sampling settings such as temperature, and their output limit
/// (<c>max_completion_tokens</c>) counts the reasoning tokens too.
/// </summary>
public enum ChatModelFamily
{
    /// <summary>A model that samples its answer directly (gpt-4.1, gpt-4o, Llama, Mistral): temperature and the like apply.</summary>
    Standard,

    /// <summary>A reasoning model: no temperature, top-p or penalties; an output limit that must leave room for its reasoning.</summary>
    Reasoning,
}
