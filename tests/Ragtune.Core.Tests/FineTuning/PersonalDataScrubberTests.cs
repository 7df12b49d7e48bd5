using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Tests.FineTuning;

public sealed class PersonalDataScrubberTests
{
    [Theory]
    [InlineData("Write to jo.doe+bikes@mail.example.com today.", "Write to [EMAIL] today.")]
    [InlineData("Call +49 30 1234567 or +1 (555) 123-4567.", "Call [PHONE] or [PHONE].")]
    [InlineData("Ring +441234567890.", "Ring [PHONE].")]
    [InlineData("Ring 030 1234567 or (020) 7946 0958.", "Ring [PHONE] or [PHONE].")]
    [InlineData("Ring 0171-1234567.", "Ring [PHONE].")]
    [InlineData("Ring (555) 123-4567 or 555.123.4567.", "Ring [PHONE] or [PHONE].")]
    [InlineData("Card 4111 1111 1111 1111 expires.", "Card [CARD] expires.")]
    [InlineData("Card 5500-0000-0000-0004.", "Card [CARD].")]
    [InlineData("Amex 378282246310005.", "Amex [CARD].")]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00 please.", "IBAN [IBAN] please.")]
    [InlineData("IBAN DE89370400440532013000.", "IBAN [IBAN].")]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 32 AND more.", "IBAN [IBAN] AND more.")]
    public void Scrub_ReplacesPersonalDataWithTypedPlaceholders(string text, string expected)
    {
        Assert.Equal(expected, PersonalDataScrubber.Scrub(text, new ScrubCounts()));
    }

    [Theory]
    [InlineData("Order 1234 5678 9012 3456 has shipped.")]
    [InlineData("Order 4111 1111 1111 1112 has shipped.")]
    [InlineData("Invoice 1234567890123 is paid.")]
    [InlineData("Order 12345678 arrives on 2024-01-15 at 10:30.")]
    [InlineData("Dates: 01.02.2024, 15/01/2024; version 1.2.3; 630 Wh; EUR 1,299.00; ISO 9001.")]
    [InlineData("Part AB12 CDEF GHIJ KLMN looks like an IBAN but fails its check.")]
    [InlineData("Charge 500 cycles in 5 hours at 4 A; 2 years or 500 full charge cycles.")]
    [InlineData("Not an address: user@localhost, @handle, a@b.")]
    public void Scrub_LeavesTextThatIsNotPersonalData(string text)
    {
        var counts = new ScrubCounts();

        Assert.Equal(text, PersonalDataScrubber.Scrub(text, counts));
        Assert.Equal(0, counts.Total);
    }

    [Fact]
    public void Scrub_CountsEachKind()
    {
        var counts = new ScrubCounts();

        PersonalDataScrubber.Scrub("a@example.com b@example.org +49 30 1234567 4111111111111111 DE89370400440532013000", counts);
        PersonalDataScrubber.Scrub("c@example.net", counts);

        Assert.Equal((3, 1, 1, 1), (counts.Email, counts.Phone, counts.Card, counts.Iban));
    }

    [Fact]
    public void Scrub_CardDigitsAreNotAlsoAPhoneNumber()
    {
        var counts = new ScrubCounts();

        Assert.Equal("[CARD]", PersonalDataScrubber.Scrub("4111 1111 1111 1111", counts));
        Assert.Equal(0, counts.Phone);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    public void PassesLuhn_ChecksTheCheckDigit(string digits, bool expected) => Assert.Equal(expected, PersonalDataScrubber.PassesLuhn(digits));

    [Theory]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("GB82WEST12345698765433", false)]
    [InlineData("DE8937040044", false)]
    public void PassesIbanCheck_ChecksMod97(string iban, bool expected) => Assert.Equal(expected, PersonalDataScrubber.PassesIbanCheck(iban));
}
