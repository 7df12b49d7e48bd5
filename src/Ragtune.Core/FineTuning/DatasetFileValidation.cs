using System.Text;

namespace Ragtune.Core.FineTuning;

/// <summary>A problem of a file, at a line (1-based; 0 for the file as a whole).</summary>
public sealed record LineProblem(int Line, string Code, string Message);

/// <summary>What <see cref="DatasetFileValidation.ValidateAsync"/> found in a file.</summary>
/// <param name="Examples">Non-empty lines read.</param>
/// <param name="Format">The format of the first example (every line must have it).</param>
/// <param name="Problems">The problems, in line order (at most <see cref="DatasetFileValidation.MaxProblems"/>).</param>
/// <param name="ProblemCount">All problems, including those past the limit.</param>
/// <param name="Tokens">Tokens per valid example, or null when there is none.</param>
public sealed record DatasetFileReport(int Examples, ExampleFormat Format, IReadOnlyList<LineProblem> Problems, int ProblemCount, TokenStatistics? Tokens)
{
    public bool IsValid => ProblemCount == 0;
}

/// <summary>
/// Checks a whole fine-tuning file (<c>ragtune validate</c>) line by line with <see cref="FineTuneExampleValidator"/>:
/// UTF-8 (a byte-order mark is allowed), one example per line, every line of the same format; empty lines are problems.
/// The file is streamed: memory holds a line and a token count per line.
/// </summary>
public static class DatasetFileValidation
{
    public const int MaxProblems = 1000;
    public const string NotUtf8 = "not_utf8";
    public const string EmptyLine = "empty_line";
    public const string MixedFormats = "mixed_formats";

    public static async Task<DatasetFileReport> ValidateAsync(Stream file, FineTuneExampleValidator validator, CancellationToken cancellationToken = default)
    {
        var problems = new List<LineProblem>();
        var problemCount = 0;
        var tokens = new List<int>();
        var format = ExampleFormat.Unknown;
        var lineNumber = 0;
        var examples = 0;

        void Add(LineProblem problem)
        {
            problemCount++;
            if (problems.Count < MaxProblems)
            {
                problems.Add(problem);
            }
        }

        using var reader = new StreamReader(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
        try
        {
            var bom = true;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                lineNumber++;
                if (bom && line.StartsWith('\uFEFF'))
                {
                    line = line[1..];
                }

                bom = false;
                if (line.Length == 0)
                {
                    Add(new LineProblem(lineNumber, EmptyLine, "The line is empty."));
                    continue;
                }

                examples++;
                var check = validator.Check(line);
                foreach (var problem in check.Problems)
                {
                    Add(new LineProblem(lineNumber, problem.Code, problem.Message));
                }

                if (check.Format != ExampleFormat.Unknown && format == ExampleFormat.Unknown)
                {
                    format = check.Format;
                }
                else if (check.Format != ExampleFormat.Unknown && check.Format != format)
                {
                    Add(new LineProblem(lineNumber, MixedFormats, $"A {Describe(check.Format)} example in a file of {Describe(format)} examples."));
                }

                if (check.IsValid)
                {
                    tokens.Add(check.Tokens);
                }
            }
        }
        catch (DecoderFallbackException)
        {
            Add(new LineProblem(lineNumber + 1, NotUtf8, "The file is not UTF-8 from this line on."));
        }

        return new DatasetFileReport(examples, format, problems, problemCount, TokenStatistics.Of(tokens));
    }

    public static string Describe(ExampleFormat format) => format switch
    {
        ExampleFormat.Chat => "chat (SFT)",
        ExampleFormat.Preference => "preference (DPO)",
        _ => "unknown",
    };
}
