using System.Security.Cryptography;
using Secrets.Age.Tests.PostQuantum;
using Secrets.Core;
using Secrets.TestSupport;

namespace Secrets.Age.Tests.Testkit;

/// <summary>
/// Every file of the C2SP CCTV age testkit (../shared/vectors/age-testkit, read in place): the verdict kind and,
/// where the vector gives one, the SHA-256 of all plaintext released, also before a payload failure (age.md §6).
/// </summary>
public sealed class TestkitVectorTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        if (RepoPaths.SharedVectors is not null && Directory.Exists(RepoPaths.Vector("age-testkit")))
        {
            foreach (var path in Directory.GetFiles(RepoPaths.Vector("age-testkit")).Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(path) != "README.md")
                {
                    data.Add(Path.GetFileName(path));
                }
            }
        }

        return data;
    }

    [VectorTheory("age-testkit")]
    [MemberData(nameof(Names))]
    public async Task Decrypting_the_vector_gives_the_expected_verdict_and_released_plaintext(string name)
    {
        var vector = TestkitVector.Load(RepoPaths.Vector("age-testkit", name));
        var identities = new List<IIdentity>();
        identities.AddRange(vector.Metadata["identity"].Select(AgeIdentities.ParseIdentity));
        identities.AddRange(vector.Metadata["passphrase"].Select(p => new ScryptIdentity(p)));
        var armored = vector.Metadata["armored"].Contains("yes");

        using var released = new MemoryStream();
        var verdict = "success";
        try
        {
            await AgeFile.DecryptAsync(new MemoryStream(vector.Contents), released, identities, armored, CancellationToken.None);
        }
        catch (SecretsException e)
        {
            verdict = Verdict(e);
        }

        Assert.Equal(vector.Expect, verdict);
        if (vector.Metadata["payload"].SingleOrDefault() is { } payload)
        {
            Assert.Equal(payload, Convert.ToHexStringLower(SHA256.HashData(released.ToArray())));
        }
    }

    private static string Verdict(SecretsException e) => e switch
    {
        ArmorFormatException => "armor failure",
        PayloadIntegrityException => "payload failure",
        IntegrityException => "HMAC failure",
        NoMatchingKeyException => "no match",
        InvalidFileException => "header failure",
        _ => $"unexpected {e.GetType().Name}: {e.Message}",
    };
}
