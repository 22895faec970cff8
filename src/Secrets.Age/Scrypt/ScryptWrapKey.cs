using System.Text;
using Secrets.Age.Crypto;

namespace Secrets.Age.Scrypt;

/// <summary>
/// The scrypt wrap key (age.md §5): scrypt(P = UTF-8 passphrase, S = "age-encryption.org/v1/scrypt" || salt,
/// N = 2^logN, r = 8, p = 1, 32 bytes).
/// </summary>
internal static class ScryptWrapKey
{
    public const string StanzaType = "scrypt";
    public const int SaltSize = 16;

    public static byte[] Derive(string passphrase, ReadOnlySpan<byte> salt, int logN)
    {
        byte[] fullSalt = [.. "age-encryption.org/v1/scrypt"u8, .. salt];
        return Org.BouncyCastle.Crypto.Generators.SCrypt.Generate(Encoding.UTF8.GetBytes(passphrase), fullSalt, 1 << logN, 8, 1, AgeKdf.Size);
    }
}
