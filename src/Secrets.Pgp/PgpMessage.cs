using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Utilities.IO;
using Secrets.Core;

namespace Secrets.Pgp;

/// <summary>
/// A parsed armored OpenPGP message as found in a sops <c>enc</c> field: the key ids it is encrypted to, and the
/// decryption of its literal data with one recipient's private key.
/// </summary>
internal sealed class PgpMessage
{
    /// <summary>A sops data key is 32 bytes and a Shamir share 33; anything far larger is not a data key.</summary>
    private const int MaxLiteralLength = 64 * 1024;

    private readonly byte[] _packets;

    private PgpMessage(byte[] packets, IReadOnlyList<long> recipientKeyIds, int passphraseRecipients)
    {
        _packets = packets;
        RecipientKeyIds = recipientKeyIds;
        PassphraseRecipients = passphraseRecipients;
    }

    /// <summary>The key ids of the public-key recipients in packet order (0 = anonymous recipient).</summary>
    public IReadOnlyList<long> RecipientKeyIds { get; }

    /// <summary>How many recipients are passphrases (SKESK) rather than keys.</summary>
    public int PassphraseRecipients { get; }

    /// <exception cref="InvalidFileException">Not an armored OpenPGP encrypted message.</exception>
    public static PgpMessage Parse(string armored)
    {
        var blocks = PgpArmor.DecodeAll(armored, "pgp message");
        if (blocks.Count != 1 || blocks[0].Type != "PGP MESSAGE")
        {
            throw new InvalidFileException(blocks.Count == 0
                ? "pgp message: no \"-----BEGIN PGP MESSAGE-----\" armor found"
                : "pgp message: expected exactly one \"PGP MESSAGE\" armor block")
            {
                Hints = ["the value of a sops \"pgp\" entry's \"enc\" field must be the armored message, unchanged"],
            };
        }

        var packets = blocks[0].Data;
        var list = ReadEncryptedDataList(packets);
        var keyIds = new List<long>();
        var passphrases = 0;
        foreach (var item in list.GetEncryptedDataObjects())
        {
            if (item is PgpPublicKeyEncryptedData publicKeyData)
            {
                keyIds.Add(publicKeyData.KeyId);
            }
            else
            {
                passphrases++;
            }
        }

        return new PgpMessage(packets, keyIds, passphrases);
    }

    /// <summary>
    /// Decrypts the literal data with the private key of recipient number <paramref name="recipientIndex"/>. False with
    /// a reason when the session key does not decrypt with that key (the key id matched but the key is not the one used,
    /// or it is an anonymous recipient that is not us).
    /// </summary>
    /// <exception cref="IntegrityException">The message lacks integrity protection or its MDC does not verify.</exception>
    /// <exception cref="InvalidFileException">The decrypted packets are malformed.</exception>
    public bool TryDecrypt(int recipientIndex, PgpPrivateKey privateKey, bool allowUnauthenticated, out byte[] data, out string? failure)
    {
        data = [];
        var encrypted = ReadEncryptedDataList(_packets).GetEncryptedDataObjects()
            .OfType<PgpPublicKeyEncryptedData>().ElementAt(recipientIndex);

        // A Symmetrically Encrypted Data packet (tag 9) has no MDC: its ciphertext can be altered without detection.
        // go-crypto (sops' own reader) refuses it unless configured otherwise, and GnuPG ≥ 2.2.8 fails hard on it, so
        // no real sops file holds one; accepting it would only widen the attack surface. The option exists for a
        // recovery of some ancient hand-made file — the data key is then still checked by the file's AES-GCM tags.
        if (!encrypted.IsIntegrityProtected() && !allowUnauthenticated)
        {
            throw new IntegrityException("pgp message is not integrity protected (legacy packet without MDC) and is refused")
            {
                Hints = ["re-encrypt the data key with a current sops or gpg (they always add an MDC)"],
            };
        }

        Stream clear;
        try
        {
            clear = encrypted.GetDataStream(privateKey);
        }
        catch (Exception ex) when (PgpFailures.IsMalformedInput(ex))
        {
            failure = "the session key does not decrypt with this key";
            return false;
        }

        try
        {
            using (clear)
            {
                data = ReadLiteral(new PgpObjectFactory(clear));
                Streams.Drain(clear);
            }

            if (encrypted.IsIntegrityProtected() && !encrypted.Verify())
            {
                throw new IntegrityException("pgp message failed its integrity check (MDC mismatch): it was altered or corrupted");
            }
        }
        catch (Exception ex) when (PgpFailures.IsMalformedInput(ex))
        {
            // The quick check of RFC 4880 §5.7 fails here when the session key is wrong (a corrupted PKESK); after it
            // passes, broken packets mean a corrupted message — either way the MDC would not verify.
            throw new IntegrityException($"pgp message does not decrypt cleanly: {ex.Message.TrimEnd('.')}", ex);
        }

        failure = null;
        return true;
    }

    private static byte[] ReadLiteral(PgpObjectFactory factory)
    {
        for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
        {
            switch (item)
            {
                case PgpCompressedData compressed:
                    return ReadLiteral(new PgpObjectFactory(compressed.GetDataStream()));
                case PgpLiteralData literal:
                    return ReadBounded(literal.GetInputStream());
                case PgpOnePassSignatureList or PgpSignatureList or PgpMarker:
                    // sops does not sign the data key; a signed message is still readable, the signature is not checked.
                    continue;
                default:
                    throw new InvalidFileException("pgp message: the encrypted data holds no literal data packet");
            }
        }

        throw new InvalidFileException("pgp message: the encrypted data holds no literal data packet");
    }

    private static byte[] ReadBounded(Stream stream)
    {
        var buffer = new byte[MaxLiteralLength + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        try
        {
            if (length > MaxLiteralLength)
            {
                throw new InvalidFileException($"pgp message: the literal data is larger than {MaxLiteralLength} bytes, so it is not a sops data key");
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
        }
    }

    private static PgpEncryptedDataList ReadEncryptedDataList(byte[] packets)
    {
        try
        {
            var factory = new PgpObjectFactory(packets);
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
            {
                switch (item)
                {
                    case PgpMarker:
                        continue;
                    case PgpEncryptedDataList list:
                        return list;
                    default:
                        throw new InvalidFileException("pgp message: not an encrypted message (it starts with another OpenPGP packet)");
                }
            }
        }
        catch (Exception ex) when (PgpFailures.IsMalformedInput(ex))
        {
            throw new InvalidFileException($"pgp message: malformed OpenPGP packets ({ex.Message.TrimEnd('.')})", ex);
        }

        throw new InvalidFileException("pgp message: holds no OpenPGP packets");
    }
}
