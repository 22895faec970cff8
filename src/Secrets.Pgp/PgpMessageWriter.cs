using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace Secrets.Pgp;

/// <summary>
/// Writes the message sops' go-crypto path writes (<c>openpgp.Encrypt</c> with <c>FileHints{IsBinary: true}</c>, no
/// signer, no compression): PKESK v3 to one key, SEIPD v1 (with MDC), a binary literal data packet with an empty file
/// name and time 0 holding the data key, ASCII-armored. AES-256 is used: every OpenPGP implementation must support it
/// for SEIPD and it is go-crypto's first candidate cipher.
/// </summary>
internal static class PgpMessageWriter
{
    public static string Encrypt(PgpPublicKey recipient, ReadOnlySpan<byte> data)
    {
        // Pre-sized so the buffers never grow: a grown MemoryStream would leave an un-zeroed copy of the plaintext.
        var literal = new MemoryStream(data.Length + 64);
        try
        {
            var literalGenerator = new PgpLiteralDataGenerator();
            using (var stream = literalGenerator.Open(literal, PgpLiteralData.Binary, "", data.Length, DateTime.UnixEpoch))
            {
                stream.Write(data);
            }

            var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, new SecureRandom());
            generator.AddMethod(recipient);
            using var output = new MemoryStream();
            using (var stream = generator.Open(output, literal.Length))
            {
                stream.Write(literal.GetBuffer(), 0, (int)literal.Length);
            }

            return PgpArmor.Encode("PGP MESSAGE", output.GetBuffer().AsSpan(0, (int)output.Length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(literal.GetBuffer());
        }
    }
}
