using System.Security.Cryptography;
using System.Text;

namespace Secrets.Age.Tests.PostQuantum;

/// <summary>One stanza of a test-parsed age header: its arguments (type first) and its raw base64 body text.</summary>
internal sealed record TestStanza(string[] Args, string BodyText)
{
    public byte[] Body => TestAgeFile.DecodeBase64(BodyText);
}

/// <summary>
/// A deliberately small, test-only reader of age files (age.md §1–§3, §7) and of the testkit's metadata preamble:
/// just enough to pull <c>mlkem768x25519</c> stanzas out of real files and check their header MAC. The library's own
/// header parser is the age engineer's; this one exists so the primitive's tests do not depend on it.
/// </summary>
internal sealed class TestAgeFile
{
    private TestAgeFile(IReadOnlyList<TestStanza> stanzas, byte[] headerWithoutMac, byte[] mac)
    {
        Stanzas = stanzas;
        HeaderWithoutMac = headerWithoutMac;
        Mac = mac;
    }

    public IReadOnlyList<TestStanza> Stanzas { get; }

    /// <summary>The header up to and including <c>---</c>, which the MAC covers.</summary>
    public byte[] HeaderWithoutMac { get; }

    public byte[] Mac { get; }

    /// <summary>Parses the header of an age file (binary or armored).</summary>
    public static TestAgeFile Parse(byte[] file)
    {
        var text = Encoding.Latin1.GetString(file);
        if (text.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", StringComparison.Ordinal))
        {
            var base64 = string.Concat(text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
            return Parse(Convert.FromBase64String(base64));
        }

        var lines = text.Split('\n');
        if (lines[0] != "age-encryption.org/v1")
        {
            throw new FormatException("not an age file");
        }

        var stanzas = new List<TestStanza>();
        var offset = lines[0].Length + 1;
        var i = 1;
        while (lines[i].StartsWith("-> ", StringComparison.Ordinal))
        {
            var args = lines[i][3..].Split(' ');
            offset += lines[i].Length + 1;
            var body = new StringBuilder();
            while (true)
            {
                var line = lines[++i];
                offset += line.Length + 1;
                body.Append(line);
                if (line.Length < 64)
                {
                    break;
                }
            }

            stanzas.Add(new TestStanza(args, body.ToString()));
            i++;
        }

        if (!lines[i].StartsWith("--- ", StringComparison.Ordinal))
        {
            throw new FormatException("no MAC line");
        }

        return new TestAgeFile(stanzas, file[..(offset + 3)], DecodeBase64(lines[i][4..]));
    }

    /// <summary>The stanzas whose type is exactly <c>mlkem768x25519</c>.</summary>
    public IEnumerable<TestStanza> HybridStanzas => Stanzas.Where(s => s.Args[0] == "mlkem768x25519");

    /// <summary>Whether <paramref name="fileKey"/> authenticates this header (age.md §3: HMAC-SHA256 keyed by HKDF(file key, "header")).</summary>
    public bool MacVerifies(byte[] fileKey)
    {
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, [], "header"u8.ToArray());
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(macKey, HeaderWithoutMac), Mac);
    }

    /// <summary>An age header for one stanza, with its MAC: what a decrypter needs to recover the file key.</summary>
    public static byte[] BuildHeader(IEnumerable<(string[] Args, byte[] Body)> stanzas, byte[] fileKey)
    {
        var header = new StringBuilder("age-encryption.org/v1\n");
        foreach (var (args, body) in stanzas)
        {
            header.Append("-> ").AppendJoin(' ', args).Append('\n');
            var encoded = EncodeBase64(body);
            for (var i = 0; i <= encoded.Length; i += 64)
            {
                header.Append(encoded.AsSpan(i, Math.Min(64, encoded.Length - i))).Append('\n');
            }
        }

        header.Append("---");
        var withoutMac = Encoding.ASCII.GetBytes(header.ToString());
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, [], "header"u8.ToArray());
        return [.. withoutMac, .. Encoding.ASCII.GetBytes(" " + EncodeBase64(HMACSHA256.HashData(macKey, withoutMac)) + "\n")];
    }

    /// <summary>Unpadded standard base64 (age.md §2).</summary>
    public static string EncodeBase64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=');

    /// <summary>Lenient unpadded base64: canonical-encoding checks are the stanza parser's job, not the primitive's.</summary>
    public static byte[] DecodeBase64(string text) => Convert.FromBase64String(text + new string('=', (4 - (text.Length % 4)) % 4));
}
