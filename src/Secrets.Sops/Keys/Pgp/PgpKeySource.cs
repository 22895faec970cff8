using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Pgp;

namespace Secrets.Sops.Keys.Pgp;

/// <summary>
/// PGP master keys (sops.md §2.1, PGP row) over an in-process <see cref="PgpKeyring"/>: no gpg binary, agent or
/// SOPS_GPG_EXEC. Wrapping needs the public key in the keyring; unwrapping needs the secret key.
/// </summary>
public sealed class PgpKeySource : IMasterKeySource, IExplainsMiss, IAnswersLocally
{
    public const string KeyType = "pgp";

    private readonly Lazy<PgpKeyring> _keyring;
    private readonly TimeProvider _time;

    public PgpKeySource(PgpKeyring keyring, TimeProvider? time = null)
        : this(() => keyring, time)
    {
    }

    /// <summary>The keyring is loaded when a PGP key is first used, so age-only runs never read GNUPGHOME.</summary>
    public PgpKeySource(Func<PgpKeyring> loadKeyring, TimeProvider? time = null)
    {
        _keyring = new Lazy<PgpKeyring>(loadKeyring, LazyThreadSafetyMode.ExecutionAndPublication);
        _time = time ?? TimeProvider.System;
    }

    public string Type => KeyType;

    public IMasterKey Parse(string value)
    {
        var fingerprint = value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (fingerprint.Length is not (16 or 40 or 64) || !fingerprint.All(char.IsAsciiHexDigit))
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"\"{value}\" is not a PGP fingerprint")
            {
                Hints = ["give the full fingerprint (40 hex digits) as shown by 'gpg --list-keys --with-colons'"],
            };
        }

        return new PgpMasterKey(_keyring.Value, fingerprint, GoFormatTime());
    }

    public IMasterKey FromEntry(MasterKeyEntry entry)
    {
        var fingerprint = entry["fp"] ?? throw new InvalidFileException("pgp key entry has no fp");
        var key = (PgpMasterKey)Parse(fingerprint);
        return entry["created_at"] is { Length: > 0 } created ? key with { CreatedAt = created } : key;
    }

    public ValueTask<byte[]?> TryUnwrapAsync(MasterKeyEntry entry, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var enc = entry.Enc;
        if (string.IsNullOrEmpty(enc))
        {
            throw new InvalidFileException($"pgp key {entry["fp"]} has no enc");
        }

        return ValueTask.FromResult(_keyring.Value.TryDecryptDataKey(enc, out var dataKey, out _) ? dataKey : null);
    }

    /// <summary>Why the keyring could not unwrap an entry (for error reports); null when it can.</summary>
    public string? ExplainMiss(MasterKeyEntry entry)
    {
        if (entry.Enc is not { Length: > 0 } enc)
        {
            return "no enc";
        }

        if (_keyring.Value.TryDecryptDataKey(enc, out var dataKey, out var reason))
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
            return null;
        }

        return reason;
    }

    private string GoFormatTime() => Tree.GoFormat.TimeSeconds(_time.GetUtcNow());
}
