using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Secrets.Core;

namespace Secrets.Pgp;

public sealed partial class PgpKeyring
{
    private static readonly string[] KeyFileExtensions = [".asc", ".gpg", ".pgp", ".key"];

    /// <summary>
    /// Loads every exported key file directly inside <paramref name="path"/> (not sub-folders): names ending in
    /// <c>.asc</c>, <c>.gpg</c>, <c>.pgp</c> or <c>.key</c> (any case), in ordinal name order. That covers a folder
    /// of <c>gpg --export[-secret-keys] -a</c> files (the Flux decryption Secret convention uses <c>*.asc</c>) and the
    /// GnuPG 1.x keyrings <c>pubring.gpg</c>/<c>secring.gpg</c> that sops reads from <c>$GNUPGHOME</c>.
    /// <c>trustdb.gpg</c> and empty files are skipped; GnuPG 2.1+ <c>pubring.kbx</c> and <c>private-keys-v1.d</c>
    /// are not read (export the keys instead, see docs/pgp.md).
    /// </summary>
    /// <exception cref="SecretsOperationException">The folder does not exist or a key file is unreadable or malformed.</exception>
    public static PgpKeyring LoadDirectory(string path, PgpKeyringOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path))
        {
            throw new SecretsOperationException(ErrorKind.InputNotFound, $"pgp key folder \"{path}\" does not exist");
        }

        var files = new List<(string Name, ReadOnlyMemory<byte> Bytes)>();
        foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (!KeyFileExtensions.Any(ext => name.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                || string.Equals(name, "trustdb.gpg", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SecretsOperationException(ErrorKind.InputNotFound, $"cannot read pgp key file \"{file}\": {ex.Message}", ex);
            }

            if (bytes.Length > 0)
            {
                files.Add((file, bytes));
            }
        }

        try
        {
            return LoadNamed(files, options);
        }
        finally
        {
            // The parsed rings hold their own copies; the raw file bytes (secret keys among them) are not needed.
            foreach (var (_, bytes) in files)
            {
                CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(bytes).Span);
            }
        }
    }
}
