using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// One example of an export's validation file, as the gate asks it: the prompt exactly as recorded (the system and user
/// messages, history turns included) and the rated reference, the up-voted answer or the correction.
/// </summary>
/// <param name="Line">Its line in the file, from 1.</param>
/// <param name="Prompt">The messages to send.</param>
/// <param name="Reference">The answer the raters wanted.</param>
public sealed record ValidationExample(int Line, IReadOnlyList<ChatMessage> Prompt, string Reference)
{
    /// <summary>
    /// Reads a validation file of either method: an SFT line's messages without their last (assistant) message, with
    /// that message as the reference; a DPO line's <c>input.messages</c>, with <c>preferred_output</c> as the reference.
    /// A byte-order mark is skipped; a line that is neither is an error naming it (the export checked every line).
    /// </summary>
    public static IReadOnlyList<ValidationExample> Read(ReadOnlySpan<byte> jsonl, TuningMethod method)
    {
        var text = Encoding.UTF8.GetString(jsonl.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? jsonl[3..] : jsonl);
        var examples = new List<ValidationExample>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            examples.Add(method == TuningMethod.Dpo ? ReadDpo(lineNumber, document.RootElement) : ReadSft(lineNumber, document.RootElement));
        }

        return examples;
    }

    private static ValidationExample ReadSft(int line, JsonElement root)
    {
        var messages = Messages(root.GetProperty("messages"));
        if (messages.Count < 2 || messages[^1].Role != ChatRole.Assistant)
        {
            throw new InvalidDataException($"Line {line} is not an SFT example ending with the assistant's answer.");
        }

        return new ValidationExample(line, messages[..^1], messages[^1].Text);
    }

    private static ValidationExample ReadDpo(int line, JsonElement root)
    {
        var prompt = Messages(root.GetProperty("input").GetProperty("messages"));
        var preferred = Messages(root.GetProperty("preferred_output"));
        if (prompt.Count == 0 || preferred is not [{ } answer])
        {
            throw new InvalidDataException($"Line {line} is not a DPO example with one preferred output.");
        }

        return new ValidationExample(line, prompt, answer.Text);
    }

    private static List<ChatMessage> Messages(JsonElement array) =>
        [.. array.EnumerateArray().Select(m => new ChatMessage(new ChatRole(m.GetProperty("role").GetString()!), m.GetProperty("content").GetString()))];
}
