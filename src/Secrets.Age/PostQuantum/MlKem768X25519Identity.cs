using Secrets.Age.Format;
using Secrets.Age.PostQuantum;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>The post-quantum hybrid identity <c>AGE-SECRET-KEY-PQ-1…</c> (age.md §10): a 32-byte X-Wing seed.</summary>
public sealed class MlKem768X25519Identity : IIdentity, IStanzaTypeOwner
{
    internal const string Hrp = "AGE-SECRET-KEY-PQ-";

    private readonly byte[] _seed;

    private MlKem768X25519Identity(byte[] seed)
    {
        _seed = seed;
        Recipient = new MlKem768X25519Recipient(MlKem768X25519.PublicKeyFromSeed(seed));
    }

    public MlKem768X25519Recipient Recipient { get; }

    public string StanzaType => MlKem768X25519.StanzaType;

    public static MlKem768X25519Identity Generate() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(MlKem768X25519.SeedSize));

    /// <summary>Parses <c>AGE-SECRET-KEY-PQ-1…</c> (uppercase Bech32, 32-byte seed).</summary>
    public static MlKem768X25519Identity Parse(string text)
    {
        if (!Bech32.TryDecode(text, out var hrp, out var data) || hrp != Hrp || data.Length != MlKem768X25519.SeedSize)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, "invalid post-quantum identity (expected AGE-SECRET-KEY-PQ-1…)");
        }

        return new MlKem768X25519Identity(data);
    }

    public byte[]? Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != MlKem768X25519.StanzaType)
            {
                continue;
            }

            if (stanza.Args.Count != 1 || !StrictBase64.TryDecode(stanza.Args[0], out var enc))
            {
                throw new InvalidFileException($"invalid {MlKem768X25519.StanzaType} stanza: expected one canonical base64 argument");
            }

            if (MlKem768X25519.TryUnwrap(_seed, enc, stanza.Body, out var fileKey))
            {
                return fileKey;
            }
        }

        return null;
    }

    /// <summary>The Bech32 secret key; callers print it only where the user asked for it (keygen).</summary>
    public override string ToString() => Bech32.Encode(Hrp, _seed);
}
