using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Secrets.Pgp;

/// <summary>
/// The ways a user names a key: full fingerprint (40 hex digits for v4, 64 for v6), long key id (16 hex digits), of
/// the primary key or of a subkey; case-insensitive, spaces and a <c>0x</c> prefix ignored (gpg prints fingerprints in
/// groups of four). sops stores the primary fingerprint in uppercase without spaces (sops.md §2.1).
/// </summary>
internal static class PgpKeyId
{
    /// <summary>Uppercase hex without spaces, or null when the text cannot name a key.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var compact = text.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (compact.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            compact = compact[2..];
        }

        if (compact.Length is not (16 or 40 or 64) || !compact.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return compact.ToUpperInvariant();
    }

    public static string Fingerprint(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());

    public static string KeyId(long keyId) => keyId.ToString("X16", CultureInfo.InvariantCulture);

    /// <summary>True when the normalized query names this key (by fingerprint or long key id).</summary>
    public static bool Matches(PgpPublicKey key, string normalized) =>
        normalized.Length == 16
            ? string.Equals(KeyId(key.KeyId), normalized, StringComparison.Ordinal)
            : string.Equals(Fingerprint(key), normalized, StringComparison.Ordinal);
}
