using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Secrets.Age;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Crypto;
using Secrets.Sops.Engine;
using Secrets.Sops.Keys;
using Secrets.Sops.Keys.Age;
using Secrets.Sops.Rules;
using Secrets.Sops.Stores;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Tests.Engine;

/// <summary>Encrypt → write → read → decrypt in every format, with key groups, Shamir and the encryption rules.</summary>
public sealed class RoundTripTests
{
    private static readonly X25519Identity Alice = X25519Identity.Generate();
    private static readonly X25519Identity Bob = X25519Identity.Generate();

    public static TheoryData<string, string> Inputs() => new()
    {
        { "yaml", "# top comment\nname: demo\nport: 8080\nratio: 0.5\nenabled: true\nwhen: 2024-01-01\nempty: \"\"\nnothing: null\nnested:\n    list:\n        - a\n        - 2\n    # inner comment\n    secret: \"s3cr3t\"\npublic_unencrypted: visible\n---\nsecond: doc\n" },
        { "json", "{\"name\": \"demo\", \"port\": 8080, \"big\": 12345678901234567890, \"ratio\": 0.5, \"ok\": false, \"list\": [1, \"two\", {\"k\": null}], \"html\": \"<a&b>\"}" },
        { "dotenv", "# comment\nNAME=demo\nMULTI=line1\\nline2\nSPACED =  x\n" },
        { "ini", "; about\n[server]\nhost = example\nport = 8080\n\n[db]\n; the password\npassword = s3cr3t\n" },
        { "binary", "raw \u00e9 bytes\n\0end" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Every_format_round_trips_and_reproduces_the_plaintext(string format, string plaintext)
    {
        var store = StoreFactory.Create(format);
        var documents = store.LoadPlain(Encoding.UTF8.GetBytes(plaintext));
        var expected = store.EmitPlain(documents);

        var encrypted = store.EmitEncrypted(await EncryptAsync(documents, [[Recipient(Alice)]]));
        var text = Encoding.UTF8.GetString(encrypted);
        Assert.Contains("ENC[AES256_GCM,", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);

        using var decrypted = await SopsEngine.DecryptAsync(store.LoadEncrypted(encrypted), Recovery(Alice), ignoreMac: false, CancellationToken.None);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(store.EmitPlain(decrypted.Documents)));
    }

    [Fact]
    public async Task Binary_files_that_are_not_utf8_come_back_byte_for_byte_as_a_str_value()
    {
        // sops keeps a binary file as one Go string (sops.md §6.2), which holds any bytes: every byte value, including
        // sequences that are not UTF-8, must survive, and the value stays typed str with the MAC over the raw bytes.
        var plaintext = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0xff, 0xfe, 0xc3 }).ToArray();
        var store = new BinaryStore();

        var encrypted = store.EmitEncrypted(await EncryptAsync(store.LoadPlain(plaintext), [[Recipient(Alice)]]));
        Assert.Contains(",type:str]", Encoding.UTF8.GetString(encrypted), StringComparison.Ordinal);

        using var decrypted = await SopsEngine.DecryptAsync(store.LoadEncrypted(encrypted), Recovery(Alice), ignoreMac: false, CancellationToken.None);
        Assert.Equal(plaintext, store.EmitPlain(decrypted.Documents));
    }

    [Fact]
    public async Task Unencrypted_suffix_keeps_values_clear_and_in_the_mac()
    {
        var store = new YamlStore();
        var encrypted = await EncryptAsync(store.LoadPlain("a: secret\nb_unencrypted: clear\n"u8), [[Recipient(Alice)]]);
        var text = Encoding.UTF8.GetString(store.EmitEncrypted(encrypted));
        Assert.Contains("b_unencrypted: clear", text, StringComparison.Ordinal);

        var tampered = store.LoadEncrypted(Encoding.UTF8.GetBytes(text.Replace("b_unencrypted: clear", "b_unencrypted: changed", StringComparison.Ordinal)));
        await Assert.ThrowsAsync<IntegrityException>(() => SopsEngine.DecryptAsync(tampered, Recovery(Alice), ignoreMac: false, CancellationToken.None));
        using var ignored = await SopsEngine.DecryptAsync(tampered, Recovery(Alice), ignoreMac: true, CancellationToken.None);
        Assert.Equal("changed", ignored.Documents[0]["b_unencrypted"]);
    }

    [Fact]
    public async Task Mac_only_encrypted_ignores_edits_to_clear_values()
    {
        var store = new YamlStore();
        var rules = new EncryptionRules { EncryptedRegex = "^(data|stringData)$", MacOnlyEncrypted = true };
        var encrypted = await EncryptAsync(store.LoadPlain("kind: Secret\nstringData:\n    password: hunter2\n"u8), [[Recipient(Alice)]], rules);
        var text = Encoding.UTF8.GetString(store.EmitEncrypted(encrypted));
        Assert.Contains("kind: Secret", text, StringComparison.Ordinal);
        Assert.Contains("mac_only_encrypted: true", text, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", text, StringComparison.Ordinal);

        var edited = store.LoadEncrypted(Encoding.UTF8.GetBytes(text.Replace("kind: Secret", "kind: ConfigMap", StringComparison.Ordinal)));
        using var decrypted = await SopsEngine.DecryptAsync(edited, Recovery(Alice), ignoreMac: false, CancellationToken.None);
        Assert.Equal("hunter2", ((TreeBranch)decrypted.Documents[0]["stringData"]!)["password"]);
    }

    [Fact]
    public async Task Shamir_groups_need_the_threshold_of_groups()
    {
        var carol = X25519Identity.Generate();
        var groups = new List<IReadOnlyList<IMasterKey>> { new[] { Recipient(Alice) }, new[] { Recipient(Bob) }, new[] { Recipient(carol) } };
        var request = new EncryptionRequest { KeyGroups = groups, ShamirThreshold = 2 };
        var file = await SopsEngine.EncryptAsync(new YamlStore().LoadPlain("k: v\n"u8), request, CancellationToken.None);
        Assert.Equal(3, file.Metadata.KeyGroups.Count);
        Assert.Equal(2, file.Metadata.ShamirThreshold);
        var reloaded = new YamlStore().LoadEncrypted(new YamlStore().EmitEncrypted(file));

        using var twoGroups = await SopsEngine.DecryptAsync(reloaded, Recovery(Alice, carol), ignoreMac: false, CancellationToken.None);
        Assert.Equal("v", twoGroups.Documents[0]["k"]);
        var failure = await Assert.ThrowsAsync<NoMatchingKeyException>(() => SopsEngine.DecryptAsync(reloaded, Recovery(Bob), ignoreMac: false, CancellationToken.None));
        Assert.Contains("1 of 2", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Equal values in one list share path and plaintext, so the IV stash hands them the same IV in a row (sops.md
    /// §1.3, like sops the last one decrypted wins); the GCM object reused across values must accept that.
    /// </summary>
    [Fact]
    public async Task Equal_list_values_encrypt_again_with_the_stashed_iv_in_a_row()
    {
        var store = new YamlStore();
        var encrypted = Encoding.UTF8.GetString(store.EmitEncrypted(await EncryptAsync(store.LoadPlain("l:\n    - same\n    - same\nz: last\n"u8), [[Recipient(Alice)]])));
        using var decrypted = await SopsEngine.DecryptAsync(store.LoadEncrypted(Encoding.UTF8.GetBytes(encrypted)), Recovery(Alice), ignoreMac: false, CancellationToken.None);

        var again = Encoding.UTF8.GetString(store.EmitEncrypted(decrypted.Reencrypt(TimeProvider.System)));

        var before = encrypted.Split('\n');
        var after = again.Split('\n');
        Assert.Equal(before[2], after[1]);
        Assert.Equal(before[2], after[2]);
        Assert.Equal(before[3], after[3]);
    }

    [Fact]
    public async Task Wrong_key_reports_every_attempt()
    {
        var file = await EncryptAsync(new YamlStore().LoadPlain("k: v\n"u8), [[Recipient(Alice)]]);
        var failure = await Assert.ThrowsAsync<NoMatchingKeyException>(() => SopsEngine.DecryptAsync(file, Recovery(Bob), ignoreMac: false, CancellationToken.None));
        Assert.Contains(failure.Attempts, a => a.Contains(Alice.Recipient.ToString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reencrypting_unchanged_values_keeps_their_ciphertext()
    {
        var store = new YamlStore();
        var file = await EncryptAsync(store.LoadPlain("a: one\nb: two\n"u8), [[Recipient(Alice)]]);
        using var decrypted = await SopsEngine.DecryptAsync(file, Recovery(Alice), ignoreMac: false, CancellationToken.None);
        decrypted.Documents[0].Set("b", "changed");

        var again = decrypted.Reencrypt(TimeProvider.System);

        Assert.Equal(file.Documents[0]["a"], again.Documents[0]["a"]);
        Assert.NotEqual(file.Documents[0]["b"], again.Documents[0]["b"]);
    }

    /// <summary>
    /// More leaves than the walker completes at a time (8,192 encrypting, 2,048 decrypting) and than its parallel
    /// threshold, with comments between them: the plaintext comes back, the MAC covers every value in file order, and a
    /// value moved from the first batch to the last fails with its own path.
    /// </summary>
    [Fact]
    public async Task A_file_of_several_walker_batches_round_trips_with_the_mac_over_every_value_in_order()
    {
        var text = new StringBuilder("top:\n");
        for (var i = 0; i < 20000; i++)
        {
            if (i % 1000 == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"    # comment {i}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"    key{i:D5}: value {i}\n");
        }

        text.Append("list:\n    - a\n    - b\n");
        var plaintext = text.ToString();
        var store = new YamlStore();
        var documents = store.LoadPlain(Encoding.UTF8.GetBytes(plaintext));
        var values = string.Concat(Enumerable.Range(0, 20000).Select(i => string.Create(CultureInfo.InvariantCulture, $"value {i}"))) + "ab";
        Assert.Equal(Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(values))), TreeWalker.ComputeMac(documents, EncryptionRules.Default));

        var encrypted = Encoding.UTF8.GetString(store.EmitEncrypted(await EncryptAsync(documents, [[Recipient(Alice)]])));
        using (var decrypted = await SopsEngine.DecryptAsync(store.LoadEncrypted(Encoding.UTF8.GetBytes(encrypted)), Recovery(Alice), ignoreMac: false, CancellationToken.None, forReencryption: false))
        {
            Assert.Equal(plaintext, Encoding.UTF8.GetString(store.EmitPlain(decrypted.Documents)));
        }

        var lines = encrypted.Split('\n');
        var first = Array.FindIndex(lines, line => line.StartsWith("    key00000: ", StringComparison.Ordinal));
        var last = Array.FindIndex(lines, line => line.StartsWith("    key19999: ", StringComparison.Ordinal));
        lines[last] = "    key19999: " + lines[first]["    key00000: ".Length..];
        var moved = store.LoadEncrypted(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        var failure = await Assert.ThrowsAsync<IntegrityException>(() => SopsEngine.DecryptAsync(moved, Recovery(Alice), ignoreMac: false, CancellationToken.None, forReencryption: false));
        Assert.Contains("\"top:key19999:\"", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Encrypting as the store writes (the CLI's <c>encrypt</c>) lays out every format exactly as encrypting first does,
    /// and the file decrypts with its MAC.
    /// </summary>
    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Encrypting_on_write_gives_the_same_file_as_encrypting_first(string format, string plaintext)
    {
        var store = StoreFactory.Create(format);
        var expected = store.EmitPlain(store.LoadPlain(Encoding.UTF8.GetBytes(plaintext)));
        var first = store.EmitEncrypted(await EncryptAsync(store.LoadPlain(Encoding.UTF8.GetBytes(plaintext)), [[Recipient(Alice)]]));

        var onWrite = await EncryptOnWriteAsync(store, store.LoadPlain(Encoding.UTF8.GetBytes(plaintext)));

        Assert.Equal(WithoutRandomParts(first), WithoutRandomParts(onWrite));
        using var decrypted = await SopsEngine.DecryptAsync(store.LoadEncrypted(onWrite), Recovery(Alice), ignoreMac: false, CancellationToken.None);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(store.EmitPlain(decrypted.Documents)));
    }

    /// <summary>
    /// Several batches of pending values (8,192 each, encrypted in parallel chunks) in two documents, with comments,
    /// lists, empty strings, typed and unencrypted values: same layout as encrypting first, every value back.
    /// </summary>
    [Fact]
    public async Task Encrypting_on_write_a_file_of_several_batches_round_trips()
    {
        var text = new StringBuilder("top:\n");
        for (var i = 0; i < 20000; i++)
        {
            if (i % 997 == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"    # comment {i}\n    list{i}:\n        - {i}\n        - \"\"\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"    key{i:D5}: value {i}\n");
            }
        }

        text.Append("plain_unencrypted: clear\n---\nsecond: doc\nempty: \"\"\n");
        var store = new YamlStore();
        var first = store.EmitEncrypted(await EncryptAsync(store.LoadPlain(Encoding.UTF8.GetBytes(text.ToString())), [[Recipient(Alice)]]));

        var onWrite = await EncryptOnWriteAsync(store, store.LoadPlain(Encoding.UTF8.GetBytes(text.ToString())));

        Assert.Equal(WithoutRandomParts(first), WithoutRandomParts(onWrite));
        using var decrypted = await SopsEngine.DecryptAsync(store.LoadEncrypted(onWrite), Recovery(Alice), ignoreMac: false, CancellationToken.None, forReencryption: false);
        Assert.Equal(text.ToString(), Encoding.UTF8.GetString(store.EmitPlain(decrypted.Documents)));
    }

    [Fact]
    public async Task Pending_values_cannot_be_written_once_the_data_key_is_gone()
    {
        var documents = new YamlStore().LoadPlain("k: v\n"u8);
        var file = await SopsEngine.EncryptOnWriteAsync(documents, new EncryptionRequest { KeyGroups = [[Recipient(Alice)]] }, CancellationToken.None);
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new YamlStore().EmitEncrypted(file.File));
    }

    private static async Task<byte[]> EncryptOnWriteAsync(ISopsStore store, List<TreeBranch> documents)
    {
        using var file = await SopsEngine.EncryptOnWriteAsync(documents, new EncryptionRequest { KeyGroups = [[Recipient(Alice)]] }, CancellationToken.None);
        using var output = new MemoryStream();
        store.EmitEncrypted(file.File, output);
        return output.ToArray();
    }

    /// <summary>The text with ENC[…] values, age stanzas and the time stamp (random or the clock's) replaced by markers.</summary>
    private static string WithoutRandomParts(byte[] file)
    {
        var text = Regex.Replace(Encoding.UTF8.GetString(file), @"ENC\[AES256_GCM,[^\]]*\]", "ENC");
        text = Regex.Replace(text, "-----BEGIN AGE ENCRYPTED FILE-----.*?-----END AGE ENCRYPTED FILE-----", "AGE", RegexOptions.Singleline);
        return Regex.Replace(text, @"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME");
    }

    private static Task<SopsFile> EncryptAsync(List<TreeBranch> documents, List<List<IMasterKey>> groups, EncryptionRules? rules = null) =>
        SopsEngine.EncryptAsync(documents, new EncryptionRequest { KeyGroups = groups, Rules = rules ?? EncryptionRules.Default }, CancellationToken.None);

    private static IMasterKey Recipient(X25519Identity identity) => new AgeKeySource([]).Parse(identity.Recipient.ToString()!);

    private static DataKeyRecovery Recovery(params X25519Identity[] identities) => new(new MasterKeyRegistry([new AgeKeySource(identities)]));
}
