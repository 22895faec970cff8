using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using Secrets.Core;
using Secrets.Sealing;

namespace Secrets.Controller.SealedSecrets.Keys;

/// <summary>
/// The controller's keys, rebuilt from the key Secrets whenever they change (bring-your-own keys included, §3.4).
/// Every key decrypts (§1.5 step 4); the newest by certificate NotBefore seals and is served as <c>/v1/cert.pem</c>.
/// A malformed key Secret is reported and skipped (§11: upstream panics). Readers get an immutable snapshot.
/// </summary>
public sealed partial class KeyRegistry(ILogger<KeyRegistry> logger, TimeProvider? time = null)
{
    private static readonly byte[] StampKeyInfo = Encoding.ASCII.GetBytes("secrets-controller sealedsecret unseal stamp v1");
    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1Secret> _secrets = new(StringComparer.Ordinal);
    private volatile Snapshot _current = Snapshot.Empty;

    /// <summary>Raised after the set of usable keys changed (not for unrelated edits of key Secrets).</summary>
    public event Action? Changed;

    public UnsealingKeySet Keys => _current.Keys;

    public IReadOnlyList<ControllerKey> All => _current.All;

    /// <summary>The sealing key (newest NotBefore), or null while there is none.</summary>
    public ControllerKey? Latest => _current.All.Count == 0 ? null : _current.All[^1];

    /// <summary>Adds or replaces one key Secret.</summary>
    public void Upsert(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        lock (_gate)
        {
            _secrets[secret.Metadata.Name] = secret;
            Rebuild();
        }
    }

    /// <summary>Forgets a deleted (or relabelled) key Secret.</summary>
    public void Remove(string secretName)
    {
        lock (_gate)
        {
            if (_secrets.Remove(secretName))
            {
                Rebuild();
            }
        }
    }

    /// <summary>
    /// HMAC-SHA256 of <paramref name="data"/> under a key derived from the private key with this fingerprint (for
    /// <see cref="UnsealStamp"/>: no RSA operation), or null when no such key is loaded.
    /// </summary>
    public byte[]? ContentMac(string fingerprint, byte[] data) =>
        _current.MacKeys.TryGetValue(fingerprint, out var key) ? HMACSHA256.HashData(key, data) : null;

    /// <summary>A <see cref="SealingKey"/> for the newest certificate, for <c>/v1/rotate</c>.</summary>
    public SealingKey? LatestSealingKey() =>
        Latest is { } latest ? SealingKey.FromPem(latest.CertificatePem, (time ?? TimeProvider.System).GetUtcNow(), latest.SecretName) : null;

    private void Rebuild()
    {
        var keys = new UnsealingKeySet();
        var loaded = new List<ControllerKey>();
        var macKeys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var secret in _secrets.Values.OrderBy(s => s.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            if (TryLoad(secret, keys) is { } key)
            {
                loaded.Add(key);
                macKeys[key.Fingerprint] = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret.Data[KeySecrets.PrivateKey], 32, info: StampKeyInfo);
            }
        }

        var ordered = loaded.OrderBy(k => k.NotBefore).ThenBy(k => k.SecretName, StringComparer.Ordinal).ToList();
        var changed = !ordered.Select(k => k.Fingerprint).SequenceEqual(_current.All.Select(k => k.Fingerprint));
        _current = new Snapshot(keys, ordered, macKeys);
        if (changed)
        {
            LogKeys(logger, ordered.Count, ordered.LastOrDefault()?.SecretName);
            Changed?.Invoke();
        }
    }

    private ControllerKey? TryLoad(V1Secret secret, UnsealingKeySet keys)
    {
        var name = secret.Metadata.Name;
        if (secret.Data is null || !secret.Data.TryGetValue(KeySecrets.PrivateKey, out var keyBytes) || !secret.Data.TryGetValue(KeySecrets.Certificate, out var certBytes))
        {
            LogSkipped(logger, name, "it has no tls.key or no tls.crt");
            return null;
        }

        try
        {
            var certificatePem = Encoding.UTF8.GetString(certBytes);
            using var certificate = X509Certificate2.CreateFromPem(FirstCertificate(certificatePem));
            var sealing = SealingKey.FromPem(certificatePem, DateTimeOffset.UnixEpoch, name);
            var trial = new UnsealingKeySet();
            trial.Add(Encoding.UTF8.GetString(keyBytes), name);
            if (!trial.Fingerprints.Contains(sealing.Fingerprint))
            {
                LogSkipped(logger, name, "tls.key does not match the public key in tls.crt");
                return null;
            }

            keys.Add(Encoding.UTF8.GetString(keyBytes), name);
            return new ControllerKey(
                name,
                sealing.Fingerprint,
                certificatePem,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }
        catch (Exception e) when (e is SecretsException or CryptographicException or ArgumentException)
        {
            LogSkipped(logger, name, e.Message);
            return null;
        }
    }

    private static string FirstCertificate(string pem) =>
        PemEncoding.TryFind(pem, out var fields) && pem[fields.Label] == "CERTIFICATE"
            ? pem[fields.Location]
            : throw new ArgumentException("tls.crt holds no PEM CERTIFICATE first");

    [LoggerMessage(Level = LogLevel.Warning, Message = "key Secret {Name} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} sealing keys loaded; newest in {Latest}")]
    private static partial void LogKeys(ILogger logger, int count, string? latest);

    /// <remarks>MAC keys are not zeroed when a snapshot is replaced: readers may still hold it, and they only authenticate stamps.</remarks>
    private sealed record Snapshot(UnsealingKeySet Keys, IReadOnlyList<ControllerKey> All, IReadOnlyDictionary<string, byte[]> MacKeys)
    {
        public static Snapshot Empty { get; } = new(new UnsealingKeySet(), [], new Dictionary<string, byte[]>());
    }
}
