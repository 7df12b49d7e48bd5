using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ragtune.Core;

/// <summary>
/// ULIDs (ulid/spec): 26 characters of Crockford base32, a 48-bit millisecond timestamp then 80 random bits, so they
/// sort by creation time and never collide in practice. Ids made in the same millisecond of the same process sort in the
/// order they were made: the next one is the previous plus one in its random part (the spec's monotonic ids). Answer
/// ids and export ids are ULIDs.
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static readonly Lock Gate = new();
    private static long _lastMilliseconds = -1;
    private static UInt128 _lastRandom;

    /// <summary>A new id at <paramref name="time"/>'s now.</summary>
    public static string New(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var milliseconds = time.GetUtcNow().ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFF;
        UInt128 random;
        lock (Gate)
        {
            if (milliseconds == _lastMilliseconds && _lastRandom < MaxRandom)
            {
                random = ++_lastRandom;
            }
            else
            {
                Span<byte> bytes = stackalloc byte[16];
                RandomNumberGenerator.Fill(bytes[6..]);
                random = BinaryPrimitives.ReadUInt128BigEndian(bytes);

                // Half the random range is left above the first id of a millisecond, so the ids after it never run out.
                random >>= 1;
                _lastMilliseconds = milliseconds;
            }

            _lastRandom = random;
        }

        return Encode(((UInt128)(ulong)milliseconds << 80) | random);
    }

    /// <summary>True for a well-formed id (26 Crockford base32 characters, the first at most 7).</summary>
    public static bool IsValid(string? value) =>
        value is { Length: 26 } && value.All(c => Alphabet.Contains(char.ToUpperInvariant(c), StringComparison.Ordinal)) && value[0] <= '7';

    /// <summary>The largest 80-bit random part.</summary>
    private static UInt128 MaxRandom => (UInt128.One << 80) - 1;

    private static string Encode(UInt128 value)
    {
        // 128 bits as 26 five-bit digits, most significant first (the first digit holds 3 bits).
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
