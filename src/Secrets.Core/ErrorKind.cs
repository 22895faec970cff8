namespace Secrets.Core;

/// <summary>
/// What kind of failure a <see cref="SecretsException"/> reports. The CLI maps each kind to one stable
/// exit code (cli/Secrets.Cli/ExitCodes.cs); where sops defines a code for the same condition, sops' code is used.
/// </summary>
public enum ErrorKind
{
    /// <summary>Anything not covered below.</summary>
    General,

    /// <summary>The command line or a configuration file is wrong (bad flag combination, broken .sops.yaml).</summary>
    Usage,

    /// <summary>An input file does not exist or cannot be read.</summary>
    InputNotFound,

    /// <summary>The output could not be written.</summary>
    OutputFailed,

    /// <summary>The input is malformed: a bad header, armor, tree or ENC[…] value.</summary>
    InvalidFile,

    /// <summary>No supplied key or identity could recover the file key / data key (sops 128).</summary>
    NoMatchingKey,

    /// <summary>A MAC or authentication tag did not verify: the file was tampered with or corrupted (sops 51).</summary>
    Integrity,

    /// <summary>A key service (KMS, Key Vault, Vault, gpg) failed or was unreachable.</summary>
    KeyProvider,

    /// <summary>The file is already encrypted (sops 203).</summary>
    AlreadyEncrypted,

    /// <summary>The file was not modified, e.g. after an edit session (sops 200).</summary>
    NotModified,

    /// <summary>A tree path such as <c>["a"]["b"]</c> does not exist or is malformed (sops 91).</summary>
    InvalidTreePath,

    /// <summary>A key file or key material is malformed or unusable.</summary>
    InvalidKey,

    /// <summary>The operation was cancelled (Ctrl-C).</summary>
    Cancelled,
}
