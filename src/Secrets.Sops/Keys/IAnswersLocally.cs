namespace Secrets.Sops.Keys;

/// <summary>
/// Marks a key source that unwraps from material in this process or its files (age identities, a PGP keyring) and
/// answers in milliseconds: <see cref="DataKeyRecovery"/> asks it on the caller's thread, without a thread-pool hand-off,
/// a hedge timer or a timeout, which for a small file cost more wall time than the decrypt itself (issue #3 item 7).
/// Key services (KMS, Key Vault, Vault) stay off the caller's thread with their hedge and timeout.
/// </summary>
public interface IAnswersLocally;
