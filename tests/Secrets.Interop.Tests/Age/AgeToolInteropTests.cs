using System.Text;
using Secrets.Age;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Age;

/// <summary>
/// The reference age (Debian 1.1.1, installed by CI) and our library read each other's files, both directions:
/// X25519 (binary and armored), ssh-ed25519 and ssh-rsa keys made by ssh-keygen, and passphrases through a pty.
/// </summary>
public sealed class AgeToolInteropTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public static TheoryData<int> Sizes => new() { 0, 1, 65535, 65536, 65537, (3 * 65536) + 11, 2 * 1024 * 1024 };

    [ToolTheory("age", "age-keygen")]
    [MemberData(nameof(Sizes))]
    public async Task Age_encrypts_to_an_x25519_key_and_we_decrypt(int size)
    {
        var plaintext = AgeInteropData.Random(size);
        await Tools.RunAsync(Tools.Find("age-keygen")!, ["-o", _dir.File("key.txt")]);
        var recipient = (await Tools.RunAsync(Tools.Find("age-keygen")!, ["-y", _dir.File("key.txt")])).StdOutText.Trim();

        foreach (var armor in new[] { false, true })
        {
            var file = (await AgeTool.RunAsync(plaintext, armor ? ["-a", "-r", recipient] : ["-r", recipient])).StdOut;

            Assert.Equal(plaintext, AgeFile.Decrypt(file, Identities("key.txt")));
        }
    }

    [ToolTheory("age")]
    [MemberData(nameof(Sizes))]
    public async Task We_encrypt_to_an_x25519_key_and_age_decrypts(int size)
    {
        var plaintext = AgeInteropData.Random(size);
        var identity = X25519Identity.Generate();
        await File.WriteAllTextAsync(_dir.File("key.txt"), identity + "\n");

        foreach (var armor in new[] { false, true })
        {
            var file = AgeFile.Encrypt(plaintext, [AgeRecipients.Parse(identity.Recipient.ToString())], armor);

            Assert.Equal(plaintext, (await AgeTool.RunAsync(file, "-d", "-i", _dir.File("key.txt"))).StdOut);
        }
    }

    [ToolTheory("age", "ssh-keygen")]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    public async Task Ssh_keys_work_both_ways(string type)
    {
        var key = _dir.File("id_" + type);
        await Tools.RunAsync(Tools.Find("ssh-keygen")!, ["-q", "-t", type, "-N", "", "-C", "interop", "-f", key]);
        var plaintext = AgeInteropData.Random(100_000);

        var theirs = (await AgeTool.RunAsync(plaintext, "-R", key + ".pub")).StdOut;
        Assert.Equal(plaintext, AgeFile.Decrypt(theirs, Identities(key)));

        var recipient = AgeRecipients.Parse(await File.ReadAllTextAsync(key + ".pub"));
        var ours = AgeFile.Encrypt(plaintext, [recipient], armor: false);
        Assert.Equal(plaintext, (await AgeTool.RunAsync(ours, "-d", "-i", key)).StdOut);
    }

    [ToolFact("age", "script")]
    public async Task Passphrase_files_work_both_ways_through_a_terminal()
    {
        var plaintext = Encoding.UTF8.GetBytes("passphrase interop ✓\n");
        await File.WriteAllBytesAsync(_dir.File("plain"), plaintext);

        await AgeTool.RunWithTerminalAsync(["their pass", "their pass"], "-p", "-o", _dir.File("theirs.age"), _dir.File("plain"));
        Assert.Equal(plaintext, AgeFile.Decrypt(await File.ReadAllBytesAsync(_dir.File("theirs.age")), [new ScryptIdentity("their pass")]));

        await File.WriteAllBytesAsync(_dir.File("ours.age"), AgeFile.Encrypt(plaintext, [new ScryptRecipient("our pass")], armor: true));
        await AgeTool.RunWithTerminalAsync(["our pass"], "-d", "-o", _dir.File("ours.out"), _dir.File("ours.age"));
        Assert.Equal(plaintext, await File.ReadAllBytesAsync(_dir.File("ours.out")));
    }

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<IIdentity> Identities(string file) =>
        AgeIdentities.Parse(new StringReader(File.ReadAllText(Path.IsPathRooted(file) ? file : _dir.File(file))));
}
