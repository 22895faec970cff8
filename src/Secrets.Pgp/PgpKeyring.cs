using Org.BouncyCastle.Bcpg.OpenPgp;
using Secrets.Core;

namespace Secrets.Pgp;

/// <summary>
/// OpenPGP public and secret keys, used to wrap a sops data key to a PGP key and to unwrap sops' PGP-wrapped data keys
/// in process (sops.md §2.1, PGP row) — no gpg binary or agent needed. Keys come from exported key files
/// (<see cref="Load"/>) or a folder of them (<see cref="LoadDirectory"/>); see docs/pgp.md.
/// </summary>
/// <remarks>
/// Unlocked private keys are cached (so a passphrase is asked once) and dropped on <see cref="Dispose"/>; BouncyCastle
/// keeps key material in immutable big integers that cannot be zeroed, so dropping the references is what it allows.
/// Instances are safe to use from several threads.
/// </remarks>
public sealed partial class PgpKeyring : IDisposable
{
    private readonly List<PgpPublicKeyRing> _publicRings;
    private readonly List<PgpSecretKeyRing> _secretRings;
    private readonly PgpKeyringOptions _options;
    private readonly Dictionary<long, UnlockResult> _unlocked = [];
    private readonly Dictionary<string, Selection> _selections = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _disposed;

    private PgpKeyring(List<PgpPublicKeyRing> publicRings, List<PgpSecretKeyRing> secretRings, PgpKeyringOptions options)
    {
        _secretRings = secretRings;
        _options = options;
        _publicRings = MergePublicRings(publicRings, secretRings);
        Fingerprints = _publicRings.Select(ring => PgpKeyId.Fingerprint(ring.GetPublicKey())).ToArray();
    }

    /// <summary>
    /// Primary key fingerprints (40 uppercase hex digits for v4 keys) without duplicates: those of public key rings in
    /// load order, then those known only from secret key rings.
    /// </summary>
    public IReadOnlyList<string> Fingerprints { get; }

    /// <summary>
    /// Loads exported keys: each entry is one file's bytes, armored or binary, holding public keys, secret keys or both,
    /// one or several per file.
    /// </summary>
    /// <exception cref="SecretsOperationException">A file is not a readable OpenPGP key (<see cref="ErrorKind.InvalidKey"/>).</exception>
    public static PgpKeyring Load(IEnumerable<ReadOnlyMemory<byte>> keyFiles, PgpKeyringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keyFiles);
        return LoadNamed(keyFiles.Select((file, index) => ($"#{index + 1}", file)), options);
    }

    internal static PgpKeyring LoadNamed(IEnumerable<(string Name, ReadOnlyMemory<byte> Bytes)> keyFiles, PgpKeyringOptions? options)
    {
        var publicRings = new List<PgpPublicKeyRing>();
        var secretRings = new List<PgpSecretKeyRing>();
        foreach (var (name, bytes) in keyFiles)
        {
            PgpKeyFileReader.Read(bytes, name, publicRings, secretRings);
        }

        return new PgpKeyring(publicRings, secretRings, options ?? new PgpKeyringOptions());
    }

    /// <summary>True when the keyring holds the public key named by a fingerprint or key id (primary key or subkey).</summary>
    public bool HasPublicKey(string fingerprint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return FindPublicRing(fingerprint) is not null;
    }

    /// <summary>True when the keyring holds a secret key for the named key (primary key or subkey).</summary>
    public bool HasSecretKey(string fingerprint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var normalized = PgpKeyId.Normalize(fingerprint);
        return normalized is not null && _secretRings.Any(ring => ring.GetSecretKeys().Any(
            key => !key.IsPrivateKeyEmpty && PgpKeyId.Matches(key.PublicKey, normalized)));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _unlocked.Clear();
            _selections.Clear();
            _secretRings.Clear();
        }
    }

    public override string ToString() => "[redacted]";

    private PgpPublicKeyRing? FindPublicRing(string fingerprint)
    {
        var normalized = PgpKeyId.Normalize(fingerprint);
        return normalized is null
            ? null
            : _publicRings.FirstOrDefault(ring => ring.GetPublicKeys().Any(key => PgpKeyId.Matches(key, normalized)));
    }

    /// <summary>
    /// One public ring per primary fingerprint: the exported public keys first (they carry the newest signatures when
    /// both were exported), then the public half of each secret ring whose public key was not given.
    /// </summary>
    private static List<PgpPublicKeyRing> MergePublicRings(List<PgpPublicKeyRing> publicRings, List<PgpSecretKeyRing> secretRings)
    {
        var merged = new List<PgpPublicKeyRing>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ring in publicRings.Concat(secretRings.Select(PublicHalf)))
        {
            if (seen.Add(PgpKeyId.Fingerprint(ring.GetPublicKey())))
            {
                merged.Add(ring);
            }
        }

        return merged;
    }

    private static PgpPublicKeyRing PublicHalf(PgpSecretKeyRing secretRing)
    {
        using var buffer = new MemoryStream();
        foreach (var key in secretRing.GetPublicKeys())
        {
            key.Encode(buffer);
        }

        return new PgpPublicKeyRing(buffer.ToArray());
    }

    private readonly record struct UnlockResult(PgpPrivateKey? Key, string? Failure);
}
