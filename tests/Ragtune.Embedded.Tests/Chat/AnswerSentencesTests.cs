using Ragtune.Embedded.Chat;

namespace Ragtune.Embedded.Tests.Chat;

/// <summary>The sentences the extractive answerer may quote, read from a chunk's Markdown as a reader reads it.</summary>
public sealed class AnswerSentencesTests
{
    [Fact]
    public void Of_SentenceWrappedOverTwoLines_IsOneSentence()
    {
        // samples/warranty.md wraps its prose at 120 characters: a line break inside a paragraph is not a sentence's end.
        const string chunk = """
            # Tidewater Cycles Warranty

            Tidewater Cycles builds electric bicycles in Portland, Maine. This page explains what our warranty covers, for how
            long, and how to make a claim.
            """;

        var sentences = AnswerSentences.Of(chunk, minSentenceWords: 4).ToList();

        Assert.Equal(
            ["Tidewater Cycles builds electric bicycles in Portland, Maine.", "This page explains what our warranty covers, for how long, and how to make a claim."],
            sentences);
    }

    [Fact]
    public void Of_ListItemsAndTableRows_AreEachTheirOwn_AndAnItemsWrappedLineStaysWithIt()
    {
        const string chunk = """
            ## How to make a claim

            1. Find your order number and the frame serial number, which is stamped
               under the bottom bracket.
            2. Take clear photos of the problem.
            - Email the order number, the serial number and the photos.

            | Part | Coverage |
            |---|---|
            | Battery | 2 years or 500 full charge cycles |
            After the table comes a paragraph of its own here.
            """;

        var sentences = AnswerSentences.Of(chunk, minSentenceWords: 4).ToList();

        Assert.Equal(
            [
                "Find your order number and the frame serial number, which is stamped under the bottom bracket.",
                "Take clear photos of the problem.",
                "Email the order number, the serial number and the photos.",
                "Battery: 2 years or 500 full charge cycles.",
                "After the table comes a paragraph of its own here.",
            ],
            sentences);
    }

    [Fact]
    public void Of_BlankLineAPdfReaderPutInsideASentence_DoesNotEndIt_ButOneBetweenParagraphsDoes()
    {
        // As Northwind_Standard_Benefits_Details.pdf reads, page 55: "... that may be" / blank line / "necessary in order ...".
        const string chunk = """
            It is also important to discuss any other treatments or medications that may be

            necessary in order to get the best possible outcome for the condition.

            members of the plan start a new paragraph after a full stop here.

            Benefits Overview

            Urgent care is covered at the in-network rate.
            """;

        var sentences = AnswerSentences.Of(chunk, minSentenceWords: 4).ToList();

        Assert.Equal(
            [
                "It is also important to discuss any other treatments or medications that may be necessary in order to get the best possible outcome for the condition.",
                "members of the plan start a new paragraph after a full stop here.",
                "Urgent care is covered at the in-network rate.",
            ],
            sentences);
    }
}
