using Secrets.Core;

namespace Secrets.Cli;

/// <summary>
/// The exit codes of <c>secrets</c>, stable and listed in README.md. Where sops has a code for the same condition
/// we use it (cmd/sops/codes/codes.go), so scripts written for sops keep working.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Error = 1;
    public const int Usage = 2;
    public const int CouldNotWriteOutput = 3;          // sops CouldNotWriteOutputFile
    public const int InvalidFile = 4;                  // malformed input (header, armor, tree, ENC value)
    public const int InvalidKey = 5;                   // malformed key or key file
    public const int KeyProvider = 6;                  // a key service failed or was unreachable
    public const int MacMismatch = 51;                 // sops MacMismatch: MAC or tag did not verify
    public const int InvalidTreePath = 91;             // sops InvalidTreePathFormat
    public const int NoFile = 100;                     // sops NoFileSpecified / file not found
    public const int CouldNotRetrieveKey = 128;        // sops CouldNotRetrieveKey: no key matched
    public const int Interrupted = 130;
    public const int FileNotModified = 200;            // sops FileHasNotBeenModified
    public const int NoEditorFound = 201;              // sops NoEditorFound
    public const int FileAlreadyEncrypted = 203;       // sops FileAlreadyEncrypted

    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.Usage => Usage,
        ErrorKind.InputNotFound => NoFile,
        ErrorKind.OutputFailed => CouldNotWriteOutput,
        ErrorKind.InvalidFile => InvalidFile,
        ErrorKind.InvalidKey => InvalidKey,
        ErrorKind.NoMatchingKey => CouldNotRetrieveKey,
        ErrorKind.Integrity => MacMismatch,
        ErrorKind.KeyProvider => KeyProvider,
        ErrorKind.AlreadyEncrypted => FileAlreadyEncrypted,
        ErrorKind.NotModified => FileNotModified,
        ErrorKind.InvalidTreePath => InvalidTreePath,
        ErrorKind.Cancelled => Interrupted,
        _ => Error,
    };
}
