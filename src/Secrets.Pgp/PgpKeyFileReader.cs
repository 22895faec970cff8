using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Secrets.Core;

namespace Secrets.Pgp;

/// <summary>
/// Reads exported OpenPGP keys: armored (<c>gpg --export -a</c>, <c>--export-secret-keys -a</c>, several blocks per
/// file) or binary (<c>gpg --export</c>, GnuPG 1.x <c>pubring.gpg</c>/<c>secring.gpg</c>), public and secret rings.
/// </summary>
internal static class PgpKeyFileReader
{
    public static void Read(ReadOnlyMemory<byte> file, string name, List<PgpPublicKeyRing> publicRings, List<PgpSecretKeyRing> secretRings)
    {
        if (file.IsEmpty)
        {
            throw InvalidKey(name, "is empty");
        }

        if (!PgpArmor.LooksArmored(file.Span))
        {
            var copy = file.ToArray();
            try
            {
                ReadPackets(copy, name, publicRings, secretRings);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(copy);
            }

            return;
        }

        List<PgpArmor.Block> blocks;
        try
        {
            blocks = PgpArmor.DecodeAll(Encoding.UTF8.GetString(file.Span), name);
        }
        catch (InvalidFileException ex)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, ex.Message, ex);
        }

        foreach (var block in blocks)
        {
            if (block.Type is not ("PGP PUBLIC KEY BLOCK" or "PGP PRIVATE KEY BLOCK" or "PGP SECRET KEY BLOCK"))
            {
                throw InvalidKey(name, $"holds a \"{block.Type}\" block where a key block was expected");
            }

            try
            {
                ReadPackets(block.Data, name, publicRings, secretRings);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(block.Data);
            }
        }
    }

    private static void ReadPackets(byte[] data, string name, List<PgpPublicKeyRing> publicRings, List<PgpSecretKeyRing> secretRings)
    {
        var found = 0;
        try
        {
            var factory = new PgpObjectFactory(data);
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
            {
                switch (item)
                {
                    case PgpPublicKeyRing ring:
                        publicRings.Add(ring);
                        found++;
                        break;
                    case PgpSecretKeyRing ring:
                        secretRings.Add(ring);
                        found++;
                        break;
                    case PgpMarker:
                        break;
                    default:
                        throw InvalidKey(name, $"holds an OpenPGP {Describe(item)} where a key was expected");
                }
            }
        }
        catch (Exception ex) when (PgpFailures.IsMalformedInput(ex))
        {
            throw InvalidKey(name, $"is not a readable OpenPGP key ({ex.Message.TrimEnd('.')})", ex);
        }

        if (found == 0)
        {
            throw InvalidKey(name, "holds no OpenPGP key");
        }
    }

    private static string Describe(PgpObject item) => item switch
    {
        PgpEncryptedDataList => "encrypted message",
        PgpSignatureList or PgpOnePassSignatureList => "signature",
        PgpLiteralData or PgpCompressedData => "message",
        _ => "packet",
    };

    private static SecretsOperationException InvalidKey(string name, string message, Exception? inner = null) =>
        new(ErrorKind.InvalidKey, $"pgp key file \"{name}\" {message}", inner)
        {
            Hints = ["export keys with \"gpg --export -a FP\" (public) or \"gpg --export-secret-keys -a FP\" (secret)"],
        };
}
