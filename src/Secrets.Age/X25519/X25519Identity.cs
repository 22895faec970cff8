using System.Security.Cryptography;
using Secrets.Age.Crypto;
using Secrets.Age.Format;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>The native age identity <c>AGE-SECRET-KEY-1…</c> (age.md §4): a 32-byte X25519 scalar, stored unclamped.</summary>
public sealed class X25519Identity : IIdentity, IStanzaTypeOwner
{
    internal const string Hrp = "AGE-SECRET-KEY-";

    private readonly byte[] _scalar;
    private readonly byte[] _point;

    private X25519Identity(byte[] scalar)
    {
        _scalar = scalar;
        _point = Curve25519.PublicKey(scalar);
    }

    public X25519Recipient Recipient => new(_point);

    public string StanzaType => X25519Recipient.StanzaType;

    public static X25519Identity Generate() => new(Curve25519.RandomScalar());

    /// <summary>Parses <c>AGE-SECRET-KEY-1…</c> (uppercase Bech32, 32-byte payload).</summary>
    public static X25519Identity Parse(string text)
    {
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != Hrp || data.Length != Curve25519.Size)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid X25519 identity (expected AGE-SECRET-KEY-1…)");
        }

        return new X25519Identity(data);
    }

    public byte[]? Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != X25519Recipient.StanzaType)
            {
                continue;
            }

            // age.md §4 step 2: malformed stanzas of this type are a header failure, not "not mine".
            if (stanza.Args.Count != 1 || !StrictBase64.TryDecode(stanza.Args[0], out var share) || share.Length != Curve25519.Size)
            {
                throw new InvalidFileException("invalid X25519 stanza: the share must be one 32-byte argument");
            }

            if (stanza.Body.Length != FileKeyWrap.BodySize)
            {
                throw new InvalidFileException("invalid X25519 stanza: the body must be 32 bytes");
            }

            var shared = Curve25519.Agree(_scalar, share)
                ?? throw new InvalidFileException("invalid X25519 stanza: the share is a low-order point");
            var wrapKey = AgeKdf.Derive(shared, AgeKdf.Concat(share, _point), X25519Recipient.Label);
            var fileKey = FileKeyWrap.TryOpen(wrapKey, stanza.Body);
            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(wrapKey);
            if (fileKey is not null)
            {
                return fileKey;
            }
        }

        return null;
    }

    /// <summary>The Bech32 secret key; callers print it only where the user asked for it (keygen).</summary>
    public override string ToString() => Bech32.Encode(Hrp, _scalar);
}
