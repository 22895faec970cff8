using System.Diagnostics;
using Secrets.Age;
using Secrets.Core;

namespace Secrets.Sops.Keys.Age;

/// <summary>
/// Loads age identities from where sops looks (age/keysource.go loadIdentities, sops.md §8), all combined:
/// SOPS_AGE_SSH_PRIVATE_KEY_FILE (else ~/.ssh/id_ed25519 and ~/.ssh/id_rsa when readable), SOPS_AGE_KEY,
/// SOPS_AGE_SSH_PRIVATE_KEY_CMD, SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD and
/// &lt;config dir&gt;/sops/age/keys.txt ($XDG_CONFIG_HOME or ~/.config). An identity file that is itself an age file
/// encrypted with a passphrase (<c>age -p</c>, as age's own CLI accepts) is decrypted with a passphrase asked through
/// <paramref name="readPassphrase"/> (the terminal in the CLI); null there means no passphrase can be asked.
/// </summary>
public sealed class AgeIdentityLoader(Func<string, string?> getEnvironmentVariable, Func<string, string?>? readPassphrase = null)
{
    public IReadOnlyList<IIdentity> Load()
    {
        var identities = new List<IIdentity>();
        var home = Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        if (Env("SOPS_AGE_SSH_PRIVATE_KEY_FILE") is { } sshFile)
        {
            identities.AddRange(ReadFile(sshFile, "SOPS_AGE_SSH_PRIVATE_KEY_FILE"));
        }
        else if (Env("SOPS_AGE_SSH_PRIVATE_KEY_CMD") is { } sshCommand)
        {
            identities.AddRange(Parse(RunCommand(sshCommand, "SOPS_AGE_SSH_PRIVATE_KEY_CMD"), "SOPS_AGE_SSH_PRIVATE_KEY_CMD"));
        }
        else if (home.Length > 0)
        {
            foreach (var name in new[] { "id_ed25519", "id_rsa" })
            {
                identities.AddRange(TryReadDefaultSshKey(Path.Combine(home, ".ssh", name)));
            }
        }

        if (Env("SOPS_AGE_KEY") is { } inline)
        {
            identities.AddRange(Parse(inline.Replace(' ', '\n'), "SOPS_AGE_KEY"));
        }

        if (Env("SOPS_AGE_KEY_FILE") is { } keyFile)
        {
            identities.AddRange(ReadFile(keyFile, "SOPS_AGE_KEY_FILE"));
        }

        if (Env("SOPS_AGE_KEY_CMD") is { } command)
        {
            identities.AddRange(Parse(RunCommand(command, "SOPS_AGE_KEY_CMD"), "SOPS_AGE_KEY_CMD"));
        }

        var configHome = Env("XDG_CONFIG_HOME") ?? (home.Length > 0 ? Path.Combine(home, ".config") : null);
        if (configHome is not null)
        {
            var defaultFile = Path.Combine(configHome, "sops", "age", "keys.txt");
            if (File.Exists(defaultFile))
            {
                identities.AddRange(ReadFile(defaultFile, defaultFile));
            }
        }

        return identities;
    }

    private string? Env(string name) => getEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private IReadOnlyList<IIdentity> ReadFile(string path, string origin)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"cannot read the age identity file \"{path}\" ({origin}): {ex.Message}", ex);
        }

        // A binary age file is not UTF-8: decide on the raw bytes (Latin-1 keeps every byte as one char).
        return IsAgeFile(System.Text.Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 64)))
            ? Parse(DecryptIdentityFile(bytes, path), origin)
            : Parse(System.Text.Encoding.UTF8.GetString(bytes), origin);
    }

    private static bool IsAgeFile(string text)
    {
        var start = text.TrimStart();
        return start.StartsWith("age-encryption.org/v1", StringComparison.Ordinal) || start.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", StringComparison.Ordinal);
    }

    private string DecryptIdentityFile(byte[] file, string path)
    {
        var passphrase = readPassphrase?.Invoke($"Enter passphrase for identity file \"{path}\": ") ?? throw new SecretsOperationException(
            ErrorKind.InvalidKey, $"the age identity file \"{path}\" is passphrase-protected and no passphrase can be asked here")
        {
            Hints = ["run from a terminal, or give a decrypted identity through SOPS_AGE_KEY / SOPS_AGE_KEY_CMD"],
        };
        try
        {
            var plain = AgeFile.Decrypt(file, [new ScryptIdentity(passphrase)]);
            try
            {
                return System.Text.Encoding.UTF8.GetString(plain);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain);
            }
        }
        catch (SecretsException ex)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"cannot decrypt the age identity file \"{path}\": {ex.Message}", ex)
            {
                Hints = ["check the passphrase; the file must be encrypted with 'age -p' (a passphrase, not a recipient)"],
            };
        }
    }

    private static IReadOnlyList<IIdentity> Parse(string text, string origin)
    {
        try
        {
            using var reader = new StringReader(text);
            return AgeIdentities.Parse(reader);
        }
        catch (SecretsException ex)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"age identities from {origin}: {ex.Message}", ex)
            {
                Hints = ["an age key file holds AGE-SECRET-KEY-1… lines (age-keygen output); '#' lines are comments"],
            };
        }
    }

    /// <summary>The default ssh keys are used when they parse; a passphrase-protected or other key is skipped.</summary>
    private static IReadOnlyList<IIdentity> TryReadDefaultSshKey(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception ex) when (ex is SecretsException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string RunCommand(string command, string origin)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new SecretsOperationException(ErrorKind.InvalidKey, $"cannot run {origin}");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new SecretsOperationException(ErrorKind.InvalidKey, $"{origin} exited with status {process.ExitCode}");
    }
}
