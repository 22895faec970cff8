using Org.BouncyCastle.Crypto.Prng;

namespace Secrets.Age.PostQuantum;

/// <summary>
/// Hands BouncyCastle's ML-KEM encapsulator exactly the message m that X-Wing derived (from the OS generator in
/// production, from a test vector in the KATs), so encapsulation is the deterministic EncapsulateDerand of
/// draft-connolly-cfrg-xwing-kem §5.4. Asking for more bytes than were preset is a bug, never silent reuse.
/// The caller owns and wipes the preset buffer.
/// </summary>
internal sealed class PresetRandomGenerator(byte[] preset) : IRandomGenerator
{
    private int _position;

    public void AddSeedMaterial(byte[] seed)
    {
    }

    public void AddSeedMaterial(ReadOnlySpan<byte> seed)
    {
    }

    public void AddSeedMaterial(long seed)
    {
    }

    public void NextBytes(byte[] bytes) => NextBytes(bytes.AsSpan());

    public void NextBytes(byte[] bytes, int start, int len) => NextBytes(bytes.AsSpan(start, len));

    public void NextBytes(Span<byte> bytes)
    {
        if (bytes.Length > preset.Length - _position)
        {
            throw new InvalidOperationException("the ML-KEM encapsulator asked for more randomness than X-Wing provides");
        }

        preset.AsSpan(_position, bytes.Length).CopyTo(bytes);
        _position += bytes.Length;
    }

    public override string ToString() => "[redacted]";
}
