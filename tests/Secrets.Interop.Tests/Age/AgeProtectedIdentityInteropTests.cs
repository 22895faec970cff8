using Secrets.Cli;
using Secrets.TestSupport;

namespace Secrets.Interop.Tests.Age;

/// <summary>
/// An identity file protected by the reference age (<c>age -p -o key.age key.txt</c>, typed through a pty) works with
/// our CLI's <c>-i</c> after asking for its passphrase (age.md §8): to decrypt, and to encrypt to (<c>-e -i</c>).
/// </summary>
public sealed class AgeProtectedIdentityInteropTests : IDisposable
{
    private const string Passphrase = "identity pass";
    private readonly TempDirectory _dir = new();

    [ToolTheory("age", "age-keygen", "script")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Our_cli_decrypts_with_an_identity_file_that_age_protected_with_a_passphrase(bool armor)
    {
        await Tools.RunAsync(Tools.Find("age-keygen")!, ["-o", _dir.File("key.txt")]);
        var recipient = (await Tools.RunAsync(Tools.Find("age-keygen")!, ["-y", _dir.File("key.txt")])).StdOutText.Trim();
        await AgeTool.RunWithTerminalAsync([Passphrase, Passphrase], [.. armor ? ["-a"] : Array.Empty<string>(), "-p", "-o", _dir.File("key.age"), _dir.File("key.txt")]);
        var plaintext = AgeInteropData.Random(70_000);
        var encrypted = (await AgeTool.RunAsync(plaintext, "-r", recipient)).StdOut;
        var prompts = new List<string>();

        var decrypted = await RunCliAsync(encrypted, prompts, "age", "decrypt", "-i", "key.age");

        Assert.True(decrypted.Code == 0, decrypted.StdErr);
        Assert.Equal(plaintext, decrypted.StdOut);
        Assert.Equal(["Enter passphrase for identity file \"key.age\": "], prompts);
    }

    [ToolFact("age", "age-keygen", "script")]
    public async Task Our_cli_encrypts_to_an_identity_file_that_age_protected_and_age_decrypts()
    {
        await Tools.RunAsync(Tools.Find("age-keygen")!, ["-o", _dir.File("key.txt")]);
        await AgeTool.RunWithTerminalAsync([Passphrase, Passphrase], "-p", "-o", _dir.File("key.age"), _dir.File("key.txt"));
        var plaintext = "to myself\n"u8.ToArray();

        var encrypted = await RunCliAsync(plaintext, [], "age", "encrypt", "-e", "-i", "key.age");

        Assert.True(encrypted.Code == 0, encrypted.StdErr);
        Assert.Equal(plaintext, (await AgeTool.RunAsync(encrypted.StdOut, "-d", "-i", _dir.File("key.txt"))).StdOut);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, byte[] StdOut, string StdErr)> RunCliAsync(byte[] stdin, List<string> prompts, params string[] args)
    {
        using var input = new MemoryStream(stdin);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var context = new CliContext
        {
            StdIn = input,
            StdOut = output,
            StdErr = error,
            GetEnvironmentVariable = _ => null,
            CurrentDirectory = _dir.Path,
            ReadSecret = prompt =>
            {
                prompts.Add(prompt);
                return Passphrase;
            },
        };
        var code = await Cli.Cli.RunAsync(args, context);
        return (code, output.ToArray(), error.ToString());
    }
}
