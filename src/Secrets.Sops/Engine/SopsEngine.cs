using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Secrets.Core;
using Secrets.Sops.Crypto;
using Secrets.Sops.Keys;
using Secrets.Sops.Metadata;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Engine;

/// <summary>Encrypts plaintext trees into sops files and back (sops.md §1–§5); stores and keys stay outside.</summary>
public static class SopsEngine
{
    public static async Task<SopsFile> EncryptAsync(IReadOnlyList<TreeBranch> plainDocuments, EncryptionRequest request, CancellationToken cancellationToken)
    {
        var (metadata, cipher) = await StartEncryptionAsync(request, cancellationToken).ConfigureAwait(false);
        using (cipher)
        {
            var documents = TreeCopy.Documents(plainDocuments);
            Seal(documents, metadata, cipher, request.Time);
            return new SopsFile(documents, metadata);
        }
    }

    /// <summary>
    /// As <see cref="EncryptAsync"/> for a file that is written out once: <paramref name="plainDocuments"/> are changed
    /// in place, every value to encrypt becoming a <see cref="PendingEnc"/> that is encrypted when a store writes it, so
    /// a big file's <c>ENC[…]</c> text is never held whole (docs/sops.md "Benchmark"). The MAC is over the plaintext,
    /// so the metadata is complete before anything is written. Write the file before disposing the result.
    /// </summary>
    public static async Task<DeferredSopsFile> EncryptOnWriteAsync(List<TreeBranch> plainDocuments, EncryptionRequest request, CancellationToken cancellationToken)
    {
        var (metadata, cipher) = await StartEncryptionAsync(request, cancellationToken).ConfigureAwait(false);
        var pending = new PendingEncryption(cipher);
        try
        {
            var mac = TreeWalker.EncryptOnWrite(plainDocuments, cipher, pending, metadata.Rules);
            Stamp(metadata, mac, cipher, request.Time);
            if (pending.Count > 2 * PendingEncryption.BatchSize)
            {
                // A big file's source bytes and the walk's per-value garbage are dead now, and writing it allocates
                // for a while: collected here, the peak RSS of a 100k-value YAML is about 4 MB lower for some 50 ms
                // of CPU (docs/sops.md "Benchmark"). Small files never pay for it.
                GC.Collect();
            }

            return new DeferredSopsFile(new SopsFile(plainDocuments, metadata), pending);
        }
        catch
        {
            pending.Dispose();
            throw;
        }
    }

    /// <summary>A fresh data key, wrapped for the key groups: the metadata (without MAC) and the cipher of the values.</summary>
    private static async Task<(SopsMetadata Metadata, ValueCipher Cipher)> StartEncryptionAsync(EncryptionRequest request, CancellationToken cancellationToken)
    {
        var rules = request.Rules.Validated();
        var dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var (groups, threshold) = await KeyGroupWrapper.WrapAsync(dataKey, request.KeyGroups, request.ShamirThreshold, cancellationToken).ConfigureAwait(false);
            var metadata = new SopsMetadata
            {
                KeyGroups = groups,
                ShamirThreshold = groups.Count > 1 ? threshold : 0,
                Rules = rules,
                Version = SopsMetadata.CurrentVersion,
            };
            return (metadata, new ValueCipher(dataKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Recovers the data key, decrypts every value and checks the MAC (unless <paramref name="ignoreMac"/>).
    /// <paramref name="onWarning"/> hears about comments that stay in clear. Without <paramref name="forReencryption"/>
    /// the IV stash (sops.md §1.3) is not kept: <see cref="DecryptedFile.Reencrypt"/> then gives every value a new IV;
    /// and <paramref name="file"/>'s documents are decrypted in place instead of in a copy, so each ENC[…] string can be
    /// freed once decrypted (the caller must not use <c>file.Documents</c> afterwards).
    /// </summary>
    public static async Task<DecryptedFile> DecryptAsync(
        SopsFile file, DataKeyRecovery recovery, bool ignoreMac, CancellationToken cancellationToken, Action<string>? onWarning = null, bool forReencryption = true)
    {
        var dataKey = await recovery.RecoverAsync(file.Metadata, cancellationToken).ConfigureAwait(false);
        var cipher = new ValueCipher(dataKey) { StashIvs = forReencryption };
        CryptographicOperations.ZeroMemory(dataKey);
        try
        {
            return Decrypt(file, cipher, ignoreMac, onWarning, inPlace: !forReencryption);
        }
        catch
        {
            cipher.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decrypts with a known data key (tests, benchmarks, key services that already unwrapped it); with
    /// <paramref name="inPlace"/> the file's own documents become the plaintext ones.
    /// </summary>
    public static DecryptedFile Decrypt(SopsFile file, ValueCipher cipher, bool ignoreMac, Action<string>? onWarning = null, bool inPlace = false)
    {
        var documents = inPlace ? file.Documents : TreeCopy.Documents(file.Documents);
        var computed = TreeWalker.Decrypt(documents, cipher, file.Metadata.Rules, aad => onWarning?.Invoke($"comment at \"{aad}\" is not encrypted or cannot be decrypted; kept as is"));
        if (!ignoreMac)
        {
            VerifyMac(file.Metadata, computed, cipher);
        }

        return new DecryptedFile(documents, file.Metadata, cipher);
    }

    /// <summary>Encrypts the documents in place and stamps <c>lastmodified</c> and the encrypted MAC.</summary>
    internal static void Seal(List<TreeBranch> documents, SopsMetadata metadata, ValueCipher cipher, TimeProvider time)
    {
        Stamp(metadata, TreeWalker.Encrypt(documents, cipher, metadata.Rules), cipher, time);
    }

    private static void Stamp(SopsMetadata metadata, string mac, ValueCipher cipher, TimeProvider time)
    {
        metadata.LastModified = GoFormat.TimeSeconds(time.GetUtcNow());
        metadata.Mac = cipher.Encrypt(mac, metadata.LastModified);
    }

    private static void VerifyMac(SopsMetadata metadata, string computed, ValueCipher cipher)
    {
        if (string.IsNullOrEmpty(metadata.Mac))
        {
            throw MacFailure("MAC mismatch: the file has no MAC");
        }

        string stored;
        try
        {
            stored = cipher.Decrypt(metadata.Mac, MacAad(metadata.LastModified)) as string
                ?? throw MacFailure("cannot decrypt the MAC: it is not a string");
        }
        catch (IntegrityException ex)
        {
            throw MacFailure("cannot decrypt the MAC: lastmodified or the MAC was changed", ex);
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(computed)))
        {
            throw MacFailure($"MAC mismatch: the file has {stored}, computed {computed}");
        }
    }

    /// <summary>The MAC's AAD: lastmodified parsed and formatted again as RFC3339 (sops.md §3).</summary>
    public static string MacAad(string lastModified) =>
        DateTimeOffset.TryParse(lastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && lastModified.Contains('T', StringComparison.Ordinal)
            ? GoFormat.TimeSeconds(time)
            : lastModified;

    private static IntegrityException MacFailure(string message, Exception? inner = null) => new(message, inner)
    {
        Hints =
        [
            "a value (encrypted or not) was changed outside sops; if that was intended, decrypt with --ignore-mac and encrypt again",
            "with mac_only_encrypted, edits to unencrypted values do not break the MAC",
        ],
    };
}
