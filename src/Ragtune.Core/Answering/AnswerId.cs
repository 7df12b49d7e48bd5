using System.Security.Cryptography;

namespace Ragtune.Core.Answering;

/// <summary>
/// Answer ids are ULIDs: 26 characters of Crockford base32, a 48-bit millisecond timestamp then 80 random bits,
/// so they sort by creation time and never collide in practice.
/// </summary>
public static class AnswerId
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(milliseconds & 0xFF);
            milliseconds >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return Encode(bytes);
    }

    /// <summary>True for a well-formed id (26 Crockford base32 characters).</summary>
    public static bool IsValid(string? value) =>
        value is { Length: 26 } && value.All(c => Alphabet.Contains(char.ToUpperInvariant(c), StringComparison.Ordinal)) && value[0] <= '7';

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits as 26 five-bit digits, most significant first (the first digit holds 3 bits).
        var high = ((UInt128)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes) << 64)
            | System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(high & 31)];
            high >>= 5;
        }

        return new string(chars);
    }
}
