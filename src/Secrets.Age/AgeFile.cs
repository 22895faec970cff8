using System.Security.Cryptography;
using Secrets.Age.Armor;
using Secrets.Age.Format;
using Secrets.Age.Payload;
using Secrets.Core;

namespace Secrets.Age;

/// <summary>
/// Encrypts and decrypts age files (age-encryption.org/v1, age.md §1): header, STREAM payload, optional ASCII armor.
/// Memory stays bounded (a few MiB) whatever the size; chunks are sealed and opened in parallel, written in order.
/// </summary>
public static class AgeFile
{
    private const int FileKeySize = 16;
    private const int ArmorSniffLength = ArmorLabels.MaxOuterWhitespace + 16;

    public static async Task EncryptAsync(Stream plaintext, Stream output, IReadOnlyList<IRecipient> recipients, bool armor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(output);
        RecipientRules.Check(recipients);

        var fileKey = RandomNumberGenerator.GetBytes(FileKeySize);
        var payloadKey = Array.Empty<byte>();
        try
        {
            var stanzas = recipients.SelectMany(r => r.Wrap(fileKey)).ToList();
            var header = HeaderWriter.Write(stanzas, fileKey);
            var nonce = RandomNumberGenerator.GetBytes(PayloadKey.NonceSize);
            payloadKey = PayloadKey.Derive(fileKey, nonce);

            var armorWriter = armor ? new ArmorWriter(output) : null;
            var target = armorWriter ?? output;
            await target.WriteAsync(header, ct).ConfigureAwait(false);
            await target.WriteAsync(nonce, ct).ConfigureAwait(false);
            await PayloadEncryptor.EncryptAsync(plaintext, target, payloadKey, ct).ConfigureAwait(false);
            if (armorWriter is not null)
            {
                await armorWriter.FinishAsync(ct).ConfigureAwait(false);
            }

            await output.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
            CryptographicOperations.ZeroMemory(payloadKey);
        }
    }

    /// <summary>
    /// Decrypts a binary or armored file (armor is detected). Plaintext is written as each chunk authenticates; on a
    /// payload failure what was written is authentic but incomplete, so callers that must not leave partial output
    /// write to a temporary file.
    /// </summary>
    /// <exception cref="NoMatchingKeyException">No identity unwraps any stanza.</exception>
    /// <exception cref="IntegrityException">The header MAC or a payload chunk does not verify.</exception>
    /// <exception cref="InvalidFileException">The armor, header or a stanza of a supplied identity's type is malformed.</exception>
    public static Task DecryptAsync(Stream input, Stream plaintext, IReadOnlyList<IIdentity> identities, CancellationToken ct) =>
        DecryptAsync(input, plaintext, identities, armored: null, ct);

    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<IRecipient> recipients, bool armor)
    {
        using var input = new MemoryStream(plaintext.ToArray(), writable: false);
        using var output = new MemoryStream();
        EncryptAsync(input, output, recipients, armor, CancellationToken.None).GetAwaiter().GetResult();
        return output.ToArray();
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> file, IReadOnlyList<IIdentity> identities)
    {
        using var input = new MemoryStream(file.ToArray(), writable: false);
        using var output = new MemoryStream();
        DecryptAsync(input, output, identities, CancellationToken.None).GetAwaiter().GetResult();
        return output.ToArray();
    }

    /// <summary>Decrypts with armor forced on or off (<paramref name="armored"/>), or detected when null.</summary>
    internal static async Task DecryptAsync(Stream input, Stream plaintext, IReadOnlyList<IIdentity> identities, bool? armored, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(identities);

        var source = new BufferedInput(input);
        armored ??= ArmorLabels.LooksArmored((await source.PeekAsync(ArmorSniffLength, ct).ConfigureAwait(false)).Span);
        if (armored.Value)
        {
            source = new BufferedInput(new ArmorReader(source));
        }

        var header = await HeaderReader.ReadAsync(source, ct).ConfigureAwait(false);
        var fileKey = UnwrapFileKey(header, identities);
        var payloadKey = Array.Empty<byte>();
        try
        {
            if (!HeaderMac.Verify(fileKey, header))
            {
                throw new IntegrityException("the age header MAC does not verify: the file was modified or corrupted");
            }

            var nonce = new byte[PayloadKey.NonceSize];
            if (await source.ReadFullyAsync(nonce, ct).ConfigureAwait(false) < nonce.Length)
            {
                throw new InvalidFileException("invalid age file: the payload nonce is missing or truncated");
            }

            payloadKey = PayloadKey.Derive(fileKey, nonce);
            await PayloadDecryptor.DecryptAsync(source, plaintext, payloadKey, ct).ConfigureAwait(false);
            await plaintext.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
            CryptographicOperations.ZeroMemory(payloadKey);
        }
    }

    private static byte[] UnwrapFileKey(Header header, IReadOnlyList<IIdentity> identities)
    {
        // age.md §5: an scrypt stanza must be alone; checking it for every file also passes the testkit.
        if (header.Stanzas.Count > 1 && header.Stanzas.Any(s => s.Type == "scrypt"))
        {
            throw new InvalidFileException("invalid age header: an scrypt stanza must be the only stanza");
        }

        foreach (var identity in identities)
        {
            if (identity.Unwrap(header.Stanzas) is { } fileKey)
            {
                if (fileKey.Length != FileKeySize)
                {
                    throw new InvalidFileException("invalid age header: the unwrapped file key is not 16 bytes");
                }

                return fileKey;
            }
        }

        throw NoMatch.Describe(header.Stanzas, identities);
    }
}
