using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Age;

public sealed class AgeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CliRunner _cli;

    public AgeCommandTests()
    {
        _cli = new CliRunner { CurrentDirectory = _dir.Path };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Keygen_writes_a_0600_key_file_and_prints_the_public_key(bool postQuantum)
    {
        var result = await _cli.RunAsync(postQuantum ? ["age", "keygen", "--pq", "-o", "key.txt"] : ["age", "keygen", "-o", "key.txt"]);

        Assert.Equal(0, result.ExitCode);
        var lines = File.ReadAllLines(_dir.File("key.txt"));
        Assert.StartsWith("# created: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(postQuantum ? "# public key: age1pq1" : "# public key: age1", lines[1], StringComparison.Ordinal);
        Assert.StartsWith(postQuantum ? "AGE-SECRET-KEY-PQ-1" : "AGE-SECRET-KEY-1", lines[2], StringComparison.Ordinal);
        Assert.Equal($"Public key: {lines[1]["# public key: ".Length..]}\n", result.StdErr);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("key.txt")));
        }
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_a_key_file()
    {
        File.WriteAllText(_dir.File("key.txt"), "precious");

        var result = await _cli.RunAsync("age", "keygen", "-o", "key.txt");

        Assert.Equal(ExitCodes.CouldNotWriteOutput, result.ExitCode);
        Assert.Equal("precious", File.ReadAllText(_dir.File("key.txt")));
    }

    [Fact]
    public async Task Keygen_y_prints_the_recipients_of_an_identity_file()
    {
        await _cli.RunAsync("age", "keygen", "-o", "key.txt");
        var publicKey = File.ReadAllLines(_dir.File("key.txt"))[1]["# public key: ".Length..];

        var fromFile = await _cli.RunAsync("age", "keygen", "-y", "key.txt");
        var fromStdin = await _cli.RunAsync(File.ReadAllBytes(_dir.File("key.txt")), "age", "keygen", "-y");

        Assert.Equal(publicKey + "\n", fromFile.StdOutText);
        Assert.Equal(publicKey + "\n", fromStdin.StdOutText);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Encrypt_then_decrypt_with_files_restores_the_input(bool armor)
    {
        await _cli.RunAsync("age", "keygen", "-o", "key.txt");
        var recipient = (await _cli.RunAsync("age", "keygen", "-y", "key.txt")).StdOutText.Trim();
        var plaintext = new byte[200_000];
        Random.Shared.NextBytes(plaintext);
        File.WriteAllBytes(_dir.File("plain.bin"), plaintext);

        var encrypt = await _cli.RunAsync(armor ? ["age", "encrypt", "-a", "-r", recipient, "-o", "out.age", "plain.bin"] : ["age", "encrypt", "-r", recipient, "-o", "out.age", "plain.bin"]);
        var decrypt = await _cli.RunAsync("age", "decrypt", "-i", "key.txt", "-o", "back.bin", "out.age");

        Assert.Equal(0, encrypt.ExitCode);
        Assert.Equal(0, decrypt.ExitCode);
        Assert.Equal(plaintext, File.ReadAllBytes(_dir.File("back.bin")));
        Assert.Equal(armor, File.ReadAllText(_dir.File("out.age")).StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stdin_to_stdout_with_a_recipients_file()
    {
        await _cli.RunAsync("age", "keygen", "-o", "key.txt");
        File.WriteAllText(_dir.File("recipients.txt"), "# team\n\n" + (await _cli.RunAsync("age", "keygen", "-y", "key.txt")).StdOutText);

        var encrypted = await _cli.RunAsync("hello\n"u8.ToArray(), "age", "encrypt", "-R", "recipients.txt");
        var decrypted = await _cli.RunAsync(encrypted.StdOut, "age", "decrypt", "-i", "key.txt", "-");

        Assert.Equal("hello\n", decrypted.StdOutText);
    }

    [Fact]
    public async Task Passphrase_round_trip_reads_the_terminal()
    {
        var prompts = new List<string>();
        _cli.ReadSecret = prompt =>
        {
            prompts.Add(prompt);
            return "tty pass";
        };

        var encrypted = await _cli.RunAsync("secret"u8.ToArray(), "age", "encrypt", "-p", "-a");
        var decrypted = await _cli.RunAsync(encrypted.StdOut, "age", "decrypt");

        Assert.Equal("secret", decrypted.StdOutText);
        Assert.Equal(["Enter passphrase: ", "Confirm passphrase: ", "Enter passphrase: "], prompts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_passphrase_encrypted_identity_file_is_decrypted_after_asking_for_its_passphrase(bool armor)
    {
        var recipient = await RecipientAsync();
        var prompts = new List<string>();
        _cli.ReadSecret = prompt =>
        {
            prompts.Add(prompt);
            return "key pass";
        };
        var protectedKey = await _cli.RunAsync(File.ReadAllBytes(_dir.File("key.txt")), armor ? ["age", "encrypt", "-p", "-a"] : ["age", "encrypt", "-p"]);
        File.WriteAllBytes(_dir.File("key.age"), protectedKey.StdOut);
        var encrypted = await _cli.RunAsync("hello"u8.ToArray(), "age", "encrypt", "-r", recipient);
        prompts.Clear();

        var decrypted = await _cli.RunAsync(encrypted.StdOut, "age", "decrypt", "-i", "key.age");
        _cli.ReadSecret = _ => "wrong";
        var wrongPassphrase = await _cli.RunAsync(encrypted.StdOut, "age", "decrypt", "-i", "key.age");

        Assert.Equal(0, decrypted.ExitCode);
        Assert.Equal("hello", decrypted.StdOutText);
        Assert.Equal(["Enter passphrase for identity file \"key.age\": "], prompts);
        Assert.Equal(ExitCodes.CouldNotRetrieveKey, wrongPassphrase.ExitCode);
        Assert.Contains("error: cannot decrypt identity file \"key.age\": wrong passphrase", wrongPassphrase.StdErr, StringComparison.Ordinal);
        Assert.Empty(wrongPassphrase.StdOut);
    }

    [Fact]
    public async Task Binary_output_to_a_terminal_is_refused_but_armor_is_allowed()
    {
        var recipient = await RecipientAsync();
        _cli.StdOutIsTerminal = true;

        var binary = await _cli.RunAsync("x"u8.ToArray(), "age", "encrypt", "-r", recipient);
        var armored = await _cli.RunAsync("x"u8.ToArray(), "age", "encrypt", "-a", "-r", recipient);

        Assert.Equal(ExitCodes.Usage, binary.ExitCode);
        Assert.Contains("hint: use -a", binary.StdErr, StringComparison.Ordinal);
        Assert.Empty(binary.StdOut);
        Assert.Equal(0, armored.ExitCode);
    }

    [Fact]
    public async Task Decrypting_text_to_a_terminal_prints_it_and_binary_is_refused()
    {
        var recipient = await RecipientAsync();
        var text = await _cli.RunAsync("plain text\n"u8.ToArray(), "age", "encrypt", "-r", recipient);
        var binary = await _cli.RunAsync(new byte[] { 0, 1, 2, 0xff }, "age", "encrypt", "-r", recipient);
        _cli.StdOutIsTerminal = true;

        Assert.Equal("plain text\n", (await _cli.RunAsync(text.StdOut, "age", "decrypt", "-i", "key.txt")).StdOutText);
        var refused = await _cli.RunAsync(binary.StdOut, "age", "decrypt", "-i", "key.txt");
        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Empty(refused.StdOut);
    }

    [Fact]
    public async Task Ssh_keys_work_as_recipient_and_identity()
    {
        var key = Path.Combine(RepoPaths.TestData, "age", "id_ed25519");

        var encrypted = await _cli.RunAsync("ssh\n"u8.ToArray(), "age", "encrypt", "-r", File.ReadAllText(key + ".pub").Trim());
        var decrypted = await _cli.RunAsync(encrypted.StdOut, "age", "decrypt", "-i", key);

        Assert.Equal("ssh\n", decrypted.StdOutText);
    }

    [Fact]
    public async Task Encrypt_with_identity_files_encrypts_to_their_recipients()
    {
        await RecipientAsync();
        var ssh = Path.Combine(RepoPaths.TestData, "age", "id_ed25519");
        await _cli.RunAsync("age", "keygen", "-o", "other.txt");
        var other = File.ReadAllLines(_dir.File("other.txt"))[1]["# public key: ".Length..];

        var encrypted = await _cli.RunAsync("both\n"u8.ToArray(), "age", "encrypt", "-e", "-i", "key.txt", "-i", ssh, "-r", other);

        Assert.Equal(0, encrypted.ExitCode);
        foreach (var identity in new[] { "key.txt", ssh, "other.txt" })
        {
            var decrypted = await _cli.RunAsync(encrypted.StdOut, "age", "decrypt", "-i", identity);
            Assert.Equal("both\n", decrypted.StdOutText);
        }
    }

    [Fact]
    public async Task Encrypt_with_an_identity_file_cannot_be_combined_with_a_passphrase()
    {
        await RecipientAsync();

        var result = await _cli.RunAsync("x"u8.ToArray(), "age", "encrypt", "-p", "-i", "key.txt");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("error: -p cannot be combined with -r, -R or -i", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> RecipientAsync()
    {
        await _cli.RunAsync("age", "keygen", "-o", "key.txt");
        return File.ReadAllLines(_dir.File("key.txt"))[1]["# public key: ".Length..];
    }
}
