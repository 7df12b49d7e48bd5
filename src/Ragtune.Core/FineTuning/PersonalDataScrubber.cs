using System.Text;
using System.Text.RegularExpressions;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// Replaces personal data in a text with typed placeholders, and counts the replacements:
/// <list type="bullet">
/// <item><c>[EMAIL]</c>: e-mail addresses.</item>
/// <item><c>[IBAN]</c>: IBANs, compact or in groups of four, that pass the ISO 13616 mod-97 check.</item>
/// <item><c>[CARD]</c>: runs of 13 to 19 digits (spaces or hyphens between them allowed) that pass the Luhn check, so
/// an order or invoice number that fails it stays.</item>
/// <item><c>[PHONE]</c>: numbers written as phone numbers, with 8 to 15 digits: international (<c>+49 30 1234567</c>),
/// national with a trunk zero and a separator (<c>030 1234567</c>, <c>(020) 7946 0958</c>), or North American
/// (<c>(555) 123-4567</c>). A plain run of digits is not taken for a phone number: order numbers, dates, prices and
/// versions stay.</item>
/// </list>
/// Placeholders are applied in that order, so the digits of an IBAN or a card never count as a phone number.
/// </summary>
public static partial class PersonalDataScrubber
{
    public const string EmailPlaceholder = "[EMAIL]";
    public const string IbanPlaceholder = "[IBAN]";
    public const string CardPlaceholder = "[CARD]";
    public const string PhonePlaceholder = "[PHONE]";

    // E.164 allows 15 digits; fewer than 8 is a short number or something else (a year and a day).
    private const int MinPhoneDigits = 8;
    private const int MaxPhoneDigits = 15;

    /// <summary>The text with personal data replaced; <paramref name="counts"/> is increased by what was replaced.</summary>
    public static string Scrub(string text, ScrubCounts counts)
    {
        if (text.Contains('@', StringComparison.Ordinal))
        {
            text = EmailPattern().Replace(text, _ =>
            {
                counts.Email++;
                return EmailPlaceholder;
            });
        }

        if (!text.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return text;
        }

        text = IbanPattern().Replace(text, match => ReplaceIban(match.Value, counts));
        text = CardPattern().Replace(text, match =>
        {
            if (!PassesLuhn(Digits(match.Value)))
            {
                return match.Value;
            }

            counts.Card++;
            return CardPlaceholder;
        });
        return PhonePattern().Replace(text, match =>
        {
            var digits = Digits(match.Value).Length;
            if (digits is < MinPhoneDigits or > MaxPhoneDigits)
            {
                return match.Value;
            }

            counts.Phone++;
            return PhonePlaceholder;
        });
    }

    /// <summary>True for a number whose Luhn (mod 10) check digit is right.</summary>
    public static bool PassesLuhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubled)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubled = !doubled;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }

    /// <summary>True for an IBAN (without spaces, upper case) of 15 to 34 characters whose mod-97 check gives 1.</summary>
    public static bool PassesIbanCheck(ReadOnlySpan<char> iban)
    {
        if (iban.Length is < 15 or > 34)
        {
            return false;
        }

        // Move the country code and check digits to the end, read letters as 10..35, and take the remainder piecewise.
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            if (c is >= '0' and <= '9')
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    /// <summary>
    /// The pattern can run on into the next group of a sentence ("... 0130 00 AND"), so the longest prefix of whole
    /// groups that passes the check is the IBAN, and the rest stays.
    /// </summary>
    private static string ReplaceIban(string candidate, ScrubCounts counts)
    {
        for (var end = candidate.Length; end >= 15; end = candidate.LastIndexOf(' ', end - 1))
        {
            if (PassesIbanCheck(candidate.AsSpan(0, end).ToString().Replace(" ", string.Empty, StringComparison.Ordinal)))
            {
                counts.Iban++;
                return IbanPlaceholder + candidate[end..];
            }
        }

        return candidate;
    }

    private static string Digits(string text)
    {
        var digits = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        return digits.ToString();
    }

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\w])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]{1,4}){3,8}(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![\w+-])[0-9](?:[ -]?[0-9]){12,18}(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(
        @"(?<![\w+/.-])(?:\+[0-9]{1,3}(?:[ .-]?\(?[0-9]{1,5}\)?){2,6}|\(?0[0-9]{1,4}\)?[ /-][0-9]{2,4}(?:[ -]?[0-9]{2,4}){0,3}|\(?[0-9]{3}\)?[ .-][0-9]{3}[ .-][0-9]{4})(?![\w])",
        RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}

/// <summary>How many of each kind of personal data were replaced.</summary>
public sealed class ScrubCounts
{
    public int Email { get; set; }

    public int Phone { get; set; }

    public int Card { get; set; }

    public int Iban { get; set; }

    public int Total => Email + Phone + Card + Iban;
}
