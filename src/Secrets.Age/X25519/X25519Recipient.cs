using System.Security.Cryptography;
using Secrets.Age.Crypto;
using Secrets.Age.Format;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>The native age recipient <c>age1…</c> (age.md §4): a Curve25519 point.</summary>
public sealed class X25519Recipient : IRecipient
{
    internal const string StanzaType = "X25519";
    internal const string Hrp = "age";

    internal static ReadOnlySpan<byte> Label => "age-encryption.org/v1/X25519"u8;

    private readonly byte[] _point;

    internal X25519Recipient(byte[] point)
    {
        _point = point;
    }

    /// <summary>Parses <c>age1…</c> (lowercase Bech32, 32-byte payload).</summary>
    public static X25519Recipient Parse(string text)
    {
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != Hrp || data.Length != Curve25519.Size)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"invalid X25519 recipient \"{text}\"")
            {
                Hints = ["an age recipient looks like age1 followed by 58 lowercase characters"],
            };
        }

        return new X25519Recipient(data);
    }

    public IReadOnlyList<Stanza> Wrap(ReadOnlySpan<byte> fileKey)
    {
        var ephemeral = Curve25519.RandomScalar();
        try
        {
            var share = Curve25519.PublicKey(ephemeral);
            var shared = Curve25519.Agree(ephemeral, _point)
                ?? throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid X25519 recipient: low-order point");
            var wrapKey = AgeKdf.Derive(shared, AgeKdf.Concat(share, _point), Label);
            var body = FileKeyWrap.Seal(wrapKey, fileKey);
            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(wrapKey);
            return [new Stanza(StanzaType, [StrictBase64.Encode(share)], body)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
        }
    }

    public override string ToString() => Bech32.Encode(Hrp, _point);
}
