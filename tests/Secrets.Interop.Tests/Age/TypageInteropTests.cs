using Secrets.Age;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Age;

/// <summary>typage (npm age-encryption) and our library read each other's files: X25519, armor, scrypt, hybrid.</summary>
public sealed class TypageInteropTests
{
    private static readonly byte[] Plaintext = AgeInteropData.Random((2 * 65536) + 77);

    [ToolTheory("node")]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task Typage_encrypts_and_we_decrypt(bool postQuantum, bool armor)
    {
        var (identity, recipient) = await Typage.KeygenAsync(postQuantum);

        var file = await Typage.RunAsync(Plaintext, "encrypt", recipient, armor ? "armor" : "binary");

        Assert.Equal(Plaintext, AgeFile.Decrypt(file, [AgeIdentities.ParseIdentity(identity)]));
    }

    [ToolTheory("node")]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task We_encrypt_and_typage_decrypts(bool postQuantum, bool armor)
    {
        var (identity, recipient) = await Typage.KeygenAsync(postQuantum);

        var file = AgeFile.Encrypt(Plaintext, [AgeRecipients.Parse(recipient)], armor);

        Assert.Equal(Plaintext, await Typage.RunAsync(file, "decrypt", identity));
    }

    [ToolFact("node")]
    public async Task Passphrase_files_work_both_ways()
    {
        var theirs = await Typage.RunAsync(Plaintext, "encrypt-passphrase", "typage pass");
        Assert.Equal(Plaintext, AgeFile.Decrypt(theirs, [new ScryptIdentity("typage pass")]));

        var ours = AgeFile.Encrypt(Plaintext, [new ScryptRecipient("our pass", workFactor: 10)], armor: false);
        Assert.Equal(Plaintext, await Typage.RunAsync(ours, "decrypt-passphrase", "our pass"));
    }
}
