using System.Buffers.Binary;

namespace Secrets.Age.Payload;

/// <summary>STREAM chunk nonce (age.md §6): an 11-byte big-endian counter, then a flag byte (0x01 on the final chunk).</summary>
internal static class StreamNonce
{
    public const int Size = 12;

    public static void Write(Span<byte> nonce, ulong counter, bool final)
    {
        nonce[..3].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[3..11], counter);
        nonce[11] = final ? (byte)1 : (byte)0;
    }
}
