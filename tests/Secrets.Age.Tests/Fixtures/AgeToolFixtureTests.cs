using Secrets.Core;
using Secrets.TestSupport;

namespace Secrets.Age.Tests.Fixtures;

/// <summary>Files made by age 1.1.1 (testdata/age/README.md) decrypt with ours; ssh keys parse as identities and recipients.</summary>
public sealed class AgeToolFixtureTests
{
    private static readonly byte[] Hello = "hello from age 1.1.1\n"u8.ToArray();

    [Theory]
    [InlineData("hello.x25519.age", "key.txt")]
    [InlineData("hello.x25519.armor.age", "key.txt")]
    [InlineData("hello.ssh-ed25519.age", "id_ed25519")]
    [InlineData("hello.ssh-rsa.age", "id_rsa")]
    public void Files_made_by_age_decrypt(string file, string key)
    {
        var identities = AgeIdentities.Parse(new StringReader(File.ReadAllText(Fixture(key))));

        Assert.Equal(Hello, AgeFile.Decrypt(File.ReadAllBytes(Fixture(file)), identities));
    }

    [Fact]
    public void A_passphrase_file_made_by_age_decrypts_with_the_passphrase_only()
    {
        var file = File.ReadAllBytes(Fixture("hello.scrypt.age"));

        Assert.Equal(Hello, AgeFile.Decrypt(file, [new ScryptIdentity("correct horse battery")]));
        Assert.Throws<NoMatchingKeyException>(() => AgeFile.Decrypt(file, [new ScryptIdentity("correct horse")]));
    }

    [Theory]
    [InlineData("id_ed25519")]
    [InlineData("id_rsa")]
    public void Ssh_keys_round_trip_through_their_public_key_line(string key)
    {
        var identity = Assert.Single(AgeIdentities.Parse(new StringReader(File.ReadAllText(Fixture(key)))));
        var recipient = AgeRecipients.Parse(File.ReadAllText(Fixture(key + ".pub")));

        var file = AgeFile.Encrypt("ssh"u8, [recipient], armor: false);

        Assert.Equal("ssh"u8.ToArray(), AgeFile.Decrypt(file, [identity]));
    }

    [Fact]
    public void An_ssh_stanza_for_another_key_is_not_mine()
    {
        var other = AgeIdentities.Parse(new StringReader(File.ReadAllText(Fixture("id_rsa"))));

        var error = Assert.Throws<NoMatchingKeyException>(() => AgeFile.Decrypt(File.ReadAllBytes(Fixture("hello.ssh-ed25519.age")), other));

        Assert.Contains("ssh-ed25519: no ssh-ed25519 identity was given", error.Attempts);
    }

    [Fact]
    public void A_passphrase_protected_ssh_key_is_refused_with_a_hint()
    {
        var error = Assert.Throws<SecretsOperationException>(() => AgeIdentities.Parse(new StringReader(File.ReadAllText(Fixture("id_ed25519_protected")))));

        Assert.Equal(ErrorKind.InvalidKey, error.Kind);
        Assert.Contains("passphrase-protected", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(error.Hints);
    }

    [Fact]
    public void A_pem_rsa_key_is_the_same_identity_as_its_openssh_form()
    {
        var identities = AgeIdentities.Parse(new StringReader(File.ReadAllText(Fixture("id_rsa.pem"))));

        Assert.Equal(Hello, AgeFile.Decrypt(File.ReadAllBytes(Fixture("hello.ssh-rsa.age")), identities));
    }

    private static string Fixture(string name) => Path.Combine(RepoPaths.TestData, "age", name);
}
