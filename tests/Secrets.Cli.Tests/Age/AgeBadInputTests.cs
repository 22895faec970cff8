using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Age;

public sealed class AgeBadInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CliRunner _cli;

    public AgeBadInputTests()
    {
        _cli = new CliRunner { CurrentDirectory = _dir.Path };
    }

    [Fact]
    public async Task Wrong_key_exits_128_with_the_attempts_and_leaves_no_output_file()
    {
        var file = await EncryptAsync("a.txt", "secret"u8.ToArray());
        await _cli.RunAsync("age", "keygen", "-o", "other.txt");

        var result = await _cli.RunAsync(file, "age", "decrypt", "-i", "other.txt", "-o", "out.txt");

        Assert.Equal(ExitCodes.CouldNotRetrieveKey, result.ExitCode);
        Assert.StartsWith("error: no identity matched any of the file's recipients\n  X25519: none of the 1 X25519 identities", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("out.txt")));
        Assert.Equal(["a.txt", "other.txt"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Truncated_file_exits_51_and_leaves_no_output_file()
    {
        var file = await EncryptAsync("key.txt", new byte[300_000]);

        var result = await _cli.RunAsync(file[..^100], "age", "decrypt", "-i", "key.txt", "-o", "out.bin");

        Assert.Equal(ExitCodes.MacMismatch, result.ExitCode);
        Assert.Contains("error: age payload: ", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("out.bin")));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task Tampered_header_exits_51()
    {
        var file = await EncryptAsync("key.txt", "x"u8.ToArray());
        // The MAC line is the header's last line; search for its prefix, not for a '-' byte, which the binary
        // payload after it may also contain.
        var macStart = file.AsSpan().IndexOf("\n--- "u8) + 5;
        file[macStart] = file[macStart] == (byte)'A' ? (byte)'B' : (byte)'A';

        var result = await _cli.RunAsync(file, "age", "decrypt", "-i", "key.txt");

        Assert.Equal(ExitCodes.MacMismatch, result.ExitCode);
        Assert.Contains("MAC", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not an age file")]
    [InlineData("age-encryption.org/v1\n-> X25519\n")]
    [InlineData("-----BEGIN AGE ENCRYPTED FILE-----\nnot base64!\n-----END AGE ENCRYPTED FILE-----\n")]
    public async Task Malformed_files_exit_4(string content)
    {
        await _cli.RunAsync("age", "keygen", "-o", "key.txt");

        var result = await _cli.RunAsync(System.Text.Encoding.ASCII.GetBytes(content), "age", "decrypt", "-i", "key.txt");

        Assert.Equal(ExitCodes.InvalidFile, result.ExitCode);
        Assert.StartsWith("error: invalid age ", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("age1notarecipient")]
    [InlineData("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")]
    [InlineData("ssh-dss AAAA")]
    public async Task Bad_recipient_strings_exit_5_with_a_hint(string recipient)
    {
        var result = await _cli.RunAsync("x"u8.ToArray(), "age", "encrypt", "-r", recipient);

        Assert.Equal(ExitCodes.InvalidKey, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task Missing_input_and_key_files_exit_100()
    {
        await _cli.RunAsync("age", "keygen", "-o", "key.txt");
        var recipient = File.ReadAllLines(_dir.File("key.txt"))[1]["# public key: ".Length..];

        Assert.Equal(ExitCodes.NoFile, (await _cli.RunAsync("age", "encrypt", "-r", recipient, "-o", "out.age", "missing.txt")).ExitCode);
        Assert.Equal(ExitCodes.NoFile, (await _cli.RunAsync("age", "decrypt", "-i", "missing-key.txt", "x.age")).ExitCode);
        Assert.Equal(ExitCodes.NoFile, (await _cli.RunAsync("age", "encrypt", "-R", "missing-recipients.txt")).ExitCode);
        Assert.False(File.Exists(_dir.File("out.age")));
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        Assert.Equal(ExitCodes.Usage, (await _cli.RunAsync("x"u8.ToArray(), "age", "encrypt")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await _cli.RunAsync("x"u8.ToArray(), "age", "encrypt", "-p", "-r", "age1x")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await _cli.RunAsync("x"u8.ToArray(), "age", "encrypt", "-p")).ExitCode); // no terminal
        Assert.Equal(ExitCodes.Usage, (await _cli.RunAsync("age", "encrypt", "--bogus")).ExitCode);
    }

    [Fact]
    public async Task A_malformed_identity_file_names_the_line()
    {
        File.WriteAllText(_dir.File("key.txt"), "# comment\nAGE-SECRET-KEY-1BOGUS\n");

        var result = await _cli.RunAsync("x"u8.ToArray(), "age", "decrypt", "-i", "key.txt");

        Assert.Equal(ExitCodes.InvalidKey, result.ExitCode);
        Assert.Contains("line 2", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passphrase_protected_ssh_key_exits_5_with_a_hint()
    {
        var result = await _cli.RunAsync("x"u8.ToArray(), "age", "decrypt", "-i", Path.Combine(RepoPaths.TestData, "age", "id_ed25519_protected"));

        Assert.Equal(ExitCodes.InvalidKey, result.ExitCode);
        Assert.Contains("passphrase-protected", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<byte[]> EncryptAsync(string keyFile, byte[] plaintext)
    {
        await _cli.RunAsync("age", "keygen", "-o", keyFile);
        var recipient = File.ReadAllLines(_dir.File(keyFile))[1]["# public key: ".Length..];
        var result = await _cli.RunAsync(plaintext, "age", "encrypt", "-r", recipient);
        Assert.Equal(0, result.ExitCode);
        return result.StdOut;
    }
}
