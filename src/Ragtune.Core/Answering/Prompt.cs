using Microsoft.Extensions.AI;
using Ragtune.Core.Api;

namespace Ragtune.Core.Answering;

/// <summary>What the chat model is given: the messages as sent, and the chunks its context numbers.</summary>
/// <param name="Messages">System message, history turns, then the user message with context and question.</param>
/// <param name="Context">The chunks in the context, numbered from 1 as [n].</param>
/// <param name="Version">The prompt version.</param>
/// <param name="InputTokens">The messages' length in the chat model's tokens.</param>
public sealed record Prompt(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<Citation> Context, string Version, int InputTokens);
