using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// The train/validation split: an answer's examples are validation examples when the first eight bytes of the
/// SHA-256 of its id, read as a big-endian unsigned number, modulo 100 are below the validation percentage. The same
/// answer lands on the same side in every export, and its SFT and DPO examples on the same side as each other.
/// </summary>
public static class DatasetSplit
{
    public const string Method = "sha256(answerId)[0..8] big-endian mod 100 < validationPercent";

    /// <summary>The answer's bucket, 0 to 99.</summary>
    public static int Bucket(string answerId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(answerId), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % 100);
    }

    public static bool IsValidation(string answerId, int validationPercent) => Bucket(answerId) < validationPercent;
}
