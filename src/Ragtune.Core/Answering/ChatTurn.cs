namespace Ragtune.Core.Answering;

/// <summary>A turn of the conversation before the question: <c>user</c> or <c>assistant</c>.</summary>
public sealed record ChatTurn(string Role, string Content)
{
    public const string User = "user";
    public const string Assistant = "assistant";
}
