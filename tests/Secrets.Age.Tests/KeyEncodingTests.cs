namespace Secrets.Age.Tests;

public sealed class KeyEncodingTests
{
    [Theory]
    // age.md §2 KATs: 32 × 0x42, and the testkit identity.
    [InlineData("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX", "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")]
    [InlineData("AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0", "age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef")]
    public void X25519_identity_maps_to_the_known_recipient(string identity, string recipient)
    {
        var parsed = X25519Identity.Parse(identity);

        Assert.Equal(recipient, parsed.Recipient.ToString());
        Assert.Equal(identity, parsed.ToString());
        Assert.Equal(recipient, X25519Recipient.Parse(recipient).ToString());
    }

    [Theory]
    [InlineData("AGE1ZVKYG2LQZRAA2LNJVQEJ32NKUU0UES2S82HZRYE869XEEXVN73EQUNUJWJ")] // uppercase recipient
    [InlineData("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwq")] // bad checksum
    [InlineData("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwJ")] // mixed case
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP")]
    [InlineData("not a key")]
    public void Invalid_recipient_strings_are_refused(string text)
    {
        Assert.ThrowsAny<Secrets.Core.SecretsException>(() => AgeRecipients.Parse(text));
    }

    [Fact]
    public void Identity_files_skip_comments_and_blank_lines()
    {
        var a = X25519Identity.Generate();
        var b = X25519Identity.Generate();
        var text = $"# created: now\n# public key: {a.Recipient}\n{a}\n\n{b}\r\n";

        var identities = AgeIdentities.Parse(new StringReader(text));

        Assert.Equal(2, identities.Count);
    }

    [Fact]
    public void Recipients_files_skip_comments_and_name_the_bad_line()
    {
        var a = X25519Identity.Generate().Recipient;
        Assert.Single(AgeRecipients.ParseFile(new StringReader($"# team\n\n{a}\n")));

        var error = Assert.ThrowsAny<Secrets.Core.SecretsException>(() => AgeRecipients.ParseFile(new StringReader($"{a}\nage1bogus\n")));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }
}
