using System.Diagnostics;
using Secrets.Age;
using Secrets.Core;

namespace Secrets.Sops.Keys.Age;

/// <summary>
/// Loads age identities from where sops looks (age/keysource.go loadIdentities, sops.md §8), all combined:
/// SOPS_AGE_SSH_PRIVATE_KEY_FILE (else ~/.ssh/id_ed25519 and ~/.ssh/id_rsa when readable), SOPS_AGE_KEY,
/// SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD and &lt;config dir&gt;/sops/age/keys.txt ($XDG_CONFIG_HOME or ~/.config).
/// </summary>
public sealed class AgeIdentityLoader(Func<string, string?> getEnvironmentVariable)
{
    public IReadOnlyList<IIdentity> Load()
    {
        var identities = new List<IIdentity>();
        var home = Env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        if (Env("SOPS_AGE_SSH_PRIVATE_KEY_FILE") is { } sshFile)
        {
            identities.AddRange(ReadFile(sshFile, "SOPS_AGE_SSH_PRIVATE_KEY_FILE"));
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
            identities.AddRange(Parse(RunCommand(command), "SOPS_AGE_KEY_CMD"));
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

    private static IReadOnlyList<IIdentity> ReadFile(string path, string origin)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"cannot read the age identity file \"{path}\" ({origin}): {ex.Message}", ex);
        }

        return Parse(text, origin);
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

    private static string RunCommand(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start) ?? throw new SecretsOperationException(ErrorKind.InvalidKey, "cannot run SOPS_AGE_KEY_CMD");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new SecretsOperationException(ErrorKind.InvalidKey, $"SOPS_AGE_KEY_CMD exited with status {process.ExitCode}");
    }
}
