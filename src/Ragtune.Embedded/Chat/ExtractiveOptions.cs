using System.ComponentModel.DataAnnotations;

namespace Ragtune.Embedded.Chat;

/// <summary>How the extractive answerer picks sentences (section <c>Ragtune:Chat:Extractive</c>).</summary>
public sealed class ExtractiveOptions
{
    public const string SectionName = "Ragtune:Chat:Extractive";

    /// <summary>The most sentences in an answer.</summary>
    [Range(1, 20)]
    public int MaxSentences { get; set; } = 3;

    /// <summary>A sentence joins the best one only if its score is at least this share of the best score.</summary>
    [Range(0.0, 1.0)]
    public float RelativeScoreFloor { get; set; } = 0.85f;

    /// <summary>Sentences closer than this to one already chosen are repeats.</summary>
    [Range(0.0, 1.0)]
    public float DuplicateSimilarity { get; set; } = 0.9f;

    /// <summary>Shorter sentences (headings, fragments) are not answers.</summary>
    [Range(1, 100)]
    public int MinSentenceWords { get; set; } = 4;

    /// <summary>
    /// Whether ingestion computes the vectors of the sentences an answer may quote, when the extractive answerer is the chat
    /// provider (default false). Off, each sentence is embedded at the first answer that may quote it and kept: later
    /// answers over the same chunks cost little more than retrieval, and ingestion embeds only the chunks. On, no answer
    /// pays for its sentences, but ingestion embeds every sentence too and runs at less than half the model's speed per
    /// chunk (docs/benchmarks.md, <c>answer</c>).
    /// </summary>
    public bool IndexSentences { get; set; }

    /// <summary>The answer when no source holds a usable sentence.</summary>
    [Required]
    public string NoAnswer { get; set; } = "The documents do not cover this question, so I cannot answer it from them.";
}
