using System.Globalization;
using System.Security.Cryptography;
using Secrets.Age.Crypto;
using Secrets.Age.Format;
using Secrets.Age.Scrypt;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>
/// Decrypts passphrase-encrypted files (age.md §5). Work factors above <see cref="MaxWorkFactor"/> are refused before
/// any work is done, so a hostile file cannot make us spend gigabytes of memory.
/// </summary>
public sealed class ScryptIdentity(string passphrase, int maxWorkFactor = ScryptIdentity.MaxWorkFactorLimit) : IIdentity, IStanzaTypeOwner
{
    /// <summary>The reference's ceiling (testkit scrypt_work_factor_23 must fail): 2^22 × 1 KiB = 4 GiB.</summary>
    public const int MaxWorkFactorLimit = 22;

    public int MaxWorkFactor { get; } = Math.Min(maxWorkFactor, MaxWorkFactorLimit);

    public string StanzaType => ScryptWrapKey.StanzaType;

    public byte[]? Unwrap(IReadOnlyList<Stanza> stanzas)
    {
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != ScryptWrapKey.StanzaType)
            {
                continue;
            }

            if (stanzas.Count != 1)
            {
                throw new InvalidFileException("invalid scrypt stanza: a passphrase-encrypted file must have exactly one stanza");
            }

            var (salt, logN) = Validate(stanza);
            var wrapKey = ScryptWrapKey.Derive(passphrase, salt, logN);
            try
            {
                return FileKeyWrap.TryOpen(wrapKey, stanza.Body);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(wrapKey);
            }
        }

        return null;
    }

    public override string ToString() => "scrypt identity";

    private (byte[] Salt, int LogN) Validate(Stanza stanza)
    {
        if (stanza.Args.Count != 2 || !StrictBase64.TryDecode(stanza.Args[0], out var salt) || salt.Length != ScryptWrapKey.SaltSize)
        {
            throw new InvalidFileException("invalid scrypt stanza: expected a 16-byte salt and a work factor");
        }

        // ^[1-9][0-9]*$ (age.md §5): no sign, no leading zero, no hex, no overflow.
        var factor = stanza.Args[1];
        if (factor.Length is 0 or > 9 || factor[0] is < '1' or > '9' || !factor.All(char.IsAsciiDigit))
        {
            throw new InvalidFileException($"invalid scrypt stanza: bad work factor \"{factor}\"");
        }

        var logN = int.Parse(factor, NumberStyles.None, CultureInfo.InvariantCulture);
        if (logN > MaxWorkFactor)
        {
            throw new InvalidFileException($"scrypt work factor {logN} is above the limit of {MaxWorkFactor}")
            {
                Hints = ["the file may be hostile; age refuses work factors above 22"],
            };
        }

        if (stanza.Body.Length != FileKeyWrap.BodySize)
        {
            throw new InvalidFileException("invalid scrypt stanza: the body must be 32 bytes");
        }

        return (salt, logN);
    }
}
