using System.Text;
using Secrets.Age;
using Secrets.Core;
using Secrets.Sops.Keys.Age;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Keys;

/// <summary>Where sops finds age identities (sops.md §8): passphrase-protected identity files and the ssh key command.</summary>
public sealed class AgeIdentityLoaderTests
{
    private const string Passphrase = "correct horse battery staple";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_passphrase_protected_identity_file_is_decrypted_with_the_asked_passphrase(bool armor)
    {
        using var temp = new TempDirectory();
        var identity = X25519Identity.Generate();
        var keyFile = temp.File("keys.age");
        File.WriteAllBytes(keyFile, AgeFile.Encrypt(Encoding.UTF8.GetBytes($"# created: now\n{identity}\n"), [new ScryptRecipient(Passphrase, workFactor: 10)], armor));
        var prompts = new List<string>();

        var identities = new AgeIdentityLoader(Env(temp, ("SOPS_AGE_KEY_FILE", keyFile)), prompt =>
        {
            prompts.Add(prompt);
            return Passphrase;
        }).Load();

        Assert.Equal(identity.ToString(), Assert.Single(identities).ToString());
        Assert.Contains(keyFile, Assert.Single(prompts), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_or_unavailable_passphrase_is_an_invalid_key_error()
    {
        using var temp = new TempDirectory();
        var keyFile = temp.File("keys.age");
        File.WriteAllBytes(keyFile, AgeFile.Encrypt(Encoding.UTF8.GetBytes($"{X25519Identity.Generate()}\n"), [new ScryptRecipient(Passphrase, workFactor: 10)], armor: true));

        var wrong = Assert.Throws<SecretsOperationException>(() => new AgeIdentityLoader(Env(temp, ("SOPS_AGE_KEY_FILE", keyFile)), _ => "wrong").Load());
        var noTerminal = Assert.Throws<SecretsOperationException>(() => new AgeIdentityLoader(Env(temp, ("SOPS_AGE_KEY_FILE", keyFile))).Load());

        Assert.Equal(ErrorKind.InvalidKey, wrong.Kind);
        Assert.Contains("cannot decrypt the age identity file", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("passphrase-protected", noTerminal.Message, StringComparison.Ordinal);
    }

    [ToolFact("ssh-keygen")]
    public async Task The_ssh_private_key_command_output_is_an_identity()
    {
        using var temp = new TempDirectory();
        var key = temp.File("id_ed25519");
        var result = await Tools.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
        Assert.Equal(0, result.ExitCode);

        var identities = new AgeIdentityLoader(Env(temp, ("SOPS_AGE_SSH_PRIVATE_KEY_CMD", $"cat '{key}'"))).Load();

        Assert.Single(identities);
    }

    /// <summary>An environment with HOME and XDG_CONFIG_HOME in <paramref name="temp"/>, so no real key is picked up.</summary>
    private static Func<string, string?> Env(TempDirectory temp, params (string Name, string Value)[] values) =>
        name => name is "HOME" or "XDG_CONFIG_HOME" ? temp.Path : values.FirstOrDefault(v => v.Name == name).Value;
}
