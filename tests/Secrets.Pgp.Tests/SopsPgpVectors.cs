using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Secrets.TestSupport;

namespace Secrets.Pgp.Tests;

/// <summary>Reads the PGP-wrapped data keys out of the real sops files in ../shared/vectors/sops (in place).</summary>
internal static partial class SopsPgpVectors
{
    public const string FunctionalTestsKey = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
    public const string FunctionalTestsKey2 = "D7229043384BCC60326C6FB9D8720D957C3D3074";
    public const string FluxKey = "35C1A64CD7FC0AB6EB66756B2445463C3234ECE1";

    public static string FunctionalTestsKeyFile => RepoPaths.Vector("sops", "keys", "sops_functional_tests_key.asc");

    public static string FluxKeyFile => RepoPaths.Vector("sops", "flux", "current", "keys__pgp.asc");

    /// <summary>Every vector file with PGP-wrapped data keys (path relative to vectors/sops) and the key file that opens it.</summary>
    public static TheoryData<string> Files => new()
    {
        "sops-repo/example.yaml",
        "sops-repo/example.json",
        "sops-repo/example.ini",
        "sops-repo/example.txt",
        "sops-repo/examples__all_in_one__config__secret.enc.json",
        "sops-repo/examples__per_file__config.enc__static_github.json",
        "sops-repo/functional-tests__res__comments.enc.yaml",
        "sops-repo/functional-tests__res__comments_unencrypted_comments.yaml",
        "sops-repo/functional-tests__res__format.enc.yaml",
        "sops-repo/functional-tests__res__format.enc.json",
        "sops-repo/functional-tests__res__format.enc.env",
        "sops-repo/functional-tests__res__format.enc.ini",
        "sops-repo/functional-tests__res__format-2.enc.ini",
        "sops-repo/functional-tests__res__multiple_keys.yaml",
        "sops-repo/functional-tests__res__no_mac.yaml",
        "flux/current/algorithms__pgp.yaml",
        "flux/historic/sops__day.txt.encrypted",
        "flux/historic/sops__month__month.yaml",
        "flux/historic/sops__secret.yaml",
    };

    public static string KeyFileFor(string file) =>
        file.StartsWith("flux/", StringComparison.Ordinal) ? FluxKeyFile : FunctionalTestsKeyFile;

    public static byte[] ExpectedDataKey(string file)
    {
        var expected = RepoPaths.Vector("sops", "expected", file.Replace("/", "__", StringComparison.Ordinal) + ".expected.json");
        var node = JsonNode.Parse(File.ReadAllText(expected))!;
        return Convert.FromHexString(node["data_key_hex"]!.GetValue<string>());
    }

    /// <summary>
    /// The armored messages of a sops file in file order, whatever its format: YAML block scalars (indented), JSON
    /// strings and dotenv/INI values (newlines escaped as <c>\n</c>), INI triple-quoted values.
    /// </summary>
    public static IReadOnlyList<string> Messages(string file)
    {
        var text = File.ReadAllText(RepoPaths.Vector(["sops", .. file.Split('/')])).Replace("\\n", "\n", StringComparison.Ordinal);
        return ArmoredMessage().Matches(text)
            .Select(m => string.Join('\n', m.Value.Split('\n').Select(line => line.Trim().Trim('"'))))
            .ToArray();
    }

    /// <summary>The secret key rings of a key file, one armored file per ring, so a test can hold a single key.</summary>
    public static IReadOnlyDictionary<string, byte[]> SecretRingsByFingerprint(string keyFile)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var block in PgpArmor.DecodeAll(File.ReadAllText(keyFile), keyFile))
        {
            var factory = new PgpObjectFactory(block.Data);
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
            {
                if (item is PgpSecretKeyRing ring)
                {
                    result[Convert.ToHexString(ring.GetPublicKey().GetFingerprint())] = ring.GetEncoded();
                }
            }
        }

        return result;
    }

    [GeneratedRegex("-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----", RegexOptions.Singleline)]
    private static partial Regex ArmoredMessage();
}
