using System.Security.Cryptography;
using Secrets.Age.Crypto;

namespace Secrets.Age.Ssh;

/// <summary>
/// The ssh-ed25519 key schedule (age.md §9): the X25519 shared secret is tweaked by a scalar derived from the ssh
/// wire key (HKDF with EMPTY ikm and the wire key as salt), then the wrap key binds the share and the recipient.
/// </summary>
internal static class SshEd25519Wrap
{
    public const string StanzaType = "ssh-ed25519";

    private static ReadOnlySpan<byte> Label => "age-encryption.org/v1/ssh-ed25519"u8;

    /// <summary>The wrap key, or null when a shared secret is all zero (a low-order share).</summary>
    public static byte[]? WrapKey(byte[] sharedSecret, ReadOnlySpan<byte> share, ReadOnlySpan<byte> montgomeryPoint, ReadOnlySpan<byte> wireKey)
    {
        var tweak = AgeKdf.Derive([], wireKey, Label);
        var tweaked = Curve25519.Agree(tweak, sharedSecret);
        CryptographicOperations.ZeroMemory(tweak);
        if (tweaked is null)
        {
            return null;
        }

        var wrapKey = AgeKdf.Derive(tweaked, AgeKdf.Concat(share, montgomeryPoint), Label);
        CryptographicOperations.ZeroMemory(tweaked);
        return wrapKey;
    }
}
