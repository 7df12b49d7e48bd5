using System.Text;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;

namespace Ragtune.Http.UIMessages;

/// <summary>
/// The body the AI SDK's <c>useChat</c> (its <c>DefaultChatTransport</c>) sends to POST /api/chat:
/// <c>{"id", "messages": [{"id", "role", "parts": [{"type": "text", "text"}, ...]}], "trigger", "messageId"}</c>. The
/// text parts of a message are its text; sources, reasoning, steps and data parts of earlier answers are left out; a
/// file part of the user's is refused, as Ragtune answers from text.
/// </summary>
public sealed record UIChatRequest(string? Id, IReadOnlyList<UIMessage?>? Messages, string? Trigger = null)
{
    /// <summary>The conversation as an ask, or the problem naming the message or part at fault.</summary>
    public ApiResult<Conversation> Read(ApiLimitsOptions limits)
    {
        var turns = new List<ConversationTurn>();
        for (var i = 0; i < (Messages?.Count ?? 0); i++)
        {
            var path = $"messages[{i}]";
            var message = Messages![i];
            var role = message?.Role switch
            {
                "user" => ChatTurn.User,
                "assistant" => ChatTurn.Assistant,
                "system" => ConversationTurn.System,
                _ => null,
            };
            if (role is null)
            {
                return Conversation.Invalid($"{path}.role", "A message must have the role 'system', 'user' or 'assistant'.");
            }

            var text = new StringBuilder();
            for (var j = 0; j < (message!.Parts?.Count ?? 0); j++)
            {
                var part = message.Parts![j];
                if (part?.Type == "text" && part.Text is not null)
                {
                    text.Append(text.Length > 0 ? "\n" : string.Empty).Append(part.Text);
                }
                else if (role == ChatTurn.User && part?.Type == "file")
                {
                    return Conversation.Invalid($"{path}.parts[{j}]", "Ragtune reads text only: a file cannot be answered.");
                }
            }

            turns.Add(new ConversationTurn(role, text.ToString(), $"{path}.parts"));
        }

        return Conversation.From(turns, "messages", limits);
    }
}

/// <summary>A UI message of <see cref="UIChatRequest.Messages"/>.</summary>
public sealed record UIMessage(string? Id, string? Role, IReadOnlyList<UIMessagePart?>? Parts);

/// <summary>A part of a <see cref="UIMessage"/>; only text parts are read.</summary>
public sealed record UIMessagePart(string? Type, string? Text);
