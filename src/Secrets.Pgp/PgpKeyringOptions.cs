namespace Secrets.Pgp;

/// <summary>How a <see cref="PgpKeyring"/> unlocks secret keys and which messages it accepts.</summary>
public sealed class PgpKeyringOptions
{
    /// <summary>
    /// Asked for the passphrase of a protected secret key, with the key id (16 uppercase hex digits) of the key or subkey
    /// that needs it; return null when none is available. Called at most once per key: the answer is remembered.
    /// </summary>
    public Func<string, string?>? PassphraseCallback { get; init; }

    /// <summary>
    /// Accept legacy Symmetrically Encrypted Data packets (tag 9, no modification detection code). Off by default, as in
    /// go-crypto (sops) and GnuPG ≥ 2.2.8; see <c>PgpMessageReader</c> for the reasoning.
    /// </summary>
    public bool AllowUnauthenticatedMessages { get; init; }

    /// <summary>The clock used to decide whether a key has expired; <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
