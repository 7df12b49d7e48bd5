using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Ragtune.Embedded.Storage;

/// <summary>How vectors are kept: unit length (so a dot product is the cosine), stored as float32 little-endian blobs.</summary>
internal static class VectorEncoding
{
    /// <summary>A unit-length copy of <paramref name="vector"/>; cosine similarity does not change with length.</summary>
    /// <exception cref="ArgumentException">The vector is empty, zero, or holds a NaN or infinity.</exception>
    public static float[] Normalize(ReadOnlySpan<float> vector, string what)
    {
        if (vector.IsEmpty)
        {
            throw new ArgumentException($"The {what} is empty.");
        }

        var norm = TensorPrimitives.Norm(vector);
        if (!float.IsFinite(norm) || norm == 0f)
        {
            throw new ArgumentException($"The {what} has no direction (zero, NaN or infinite components).");
        }

        var unit = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, unit);
        return unit;
    }

    public static byte[] ToBlob(ReadOnlySpan<float> vector)
    {
        var blob = new byte[vector.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(vector).CopyTo(blob);
        }
        else
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(blob.AsSpan(i * sizeof(float)), vector[i]);
            }
        }

        return blob;
    }

    /// <summary>Decodes a blob into <paramref name="destination"/>, which must be exactly its length in floats.</summary>
    public static void FromBlob(ReadOnlySpan<byte> blob, Span<float> destination)
    {
        if (blob.Length != destination.Length * sizeof(float))
        {
            throw new InvalidDataException($"A stored vector has {blob.Length} bytes where {destination.Length * sizeof(float)} were expected.");
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(blob).CopyTo(destination);
        }
        else
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = BinaryPrimitives.ReadSingleLittleEndian(blob[(i * sizeof(float))..]);
            }
        }
    }

    public static float[] FromBlob(ReadOnlySpan<byte> blob)
    {
        if (blob.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"A stored vector has {blob.Length} bytes, not a whole number of floats.");
        }

        var vector = new float[blob.Length / sizeof(float)];
        FromBlob(blob, vector);
        return vector;
    }
}
