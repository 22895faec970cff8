namespace Secrets.Core.Keys;

/// <summary>
/// Everything the format engine needs from one key type, so that cloud keys plug in without touching the
/// engine: build keys from their textual forms and recover data keys from stored entries. A source holds
/// whatever decrypting needs (age identities, a PGP keyring, cloud credentials, a key-service endpoint).
/// </summary>
public interface IMasterKeySource
{
    /// <summary>The metadata list this source handles (<c>age</c>, <c>pgp</c>, <c>kms</c> …).</summary>
    string Type { get; }

    /// <summary>
    /// A key from the form used by command-line flags and <c>.sops.yaml</c> strings (one item of the
    /// comma-separated list): <c>age1…</c>, a fingerprint, <c>arn[+role]</c>, a Key Vault key URL, a Vault
    /// transit URI. Malformed text throws <see cref="SecretsException"/> of kind <see cref="ErrorKind.InvalidKey"/>.
    /// </summary>
    IMasterKey Parse(string value);

    /// <summary>
    /// The key a stored or configured entry describes, so <c>rotate</c>/<c>updatekeys</c> can keep it and
    /// <c>.sops.yaml</c> key groups can name it field by field.
    /// </summary>
    IMasterKey FromEntry(MasterKeyEntry entry);

    /// <summary>
    /// Recovers the data key (or share) an entry wraps. Returns null when this source holds no matching
    /// identity — an expected outcome, not an error. Throws <see cref="KeyProviderException"/> when a key
    /// service fails and <see cref="InvalidFileException"/> when the entry is malformed. The caller zeroes
    /// the returned bytes when done.
    /// </summary>
    ValueTask<byte[]?> TryUnwrapAsync(MasterKeyEntry entry, CancellationToken cancellationToken);
}
