using Secrets.Age;
using Secrets.Core.Keys;
using Secrets.Pgp;
using Secrets.Sops.Keys;
using Secrets.Sops.Keys.Age;
using Secrets.Sops.Keys.Pgp;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Vectors;

/// <summary>The public test keys that come with the sops vectors, as key sources.</summary>
internal static class VectorKeys
{
    public static string Path(params string[] parts) => RepoPaths.Vector(["sops", .. parts]);

    public static PgpKeyring PgpKeyring() => Secrets.Pgp.PgpKeyring.Load(
    [
        File.ReadAllBytes(Path("keys", "sops_functional_tests_key.asc")),
        File.ReadAllBytes(Path("flux", "current", "keys__pgp.asc")),
    ]);

    public static List<IMasterKeySource> Sources() => [new PgpKeySource(PgpKeyring()), .. AgeSources()];

    public static MasterKeyRegistry Registry() => new(Sources());

    public static IReadOnlyList<IIdentity> AgeIdentities()
    {
        string[][] files =
        [
            ["keys", "sops-age-unit-test-identity.txt"], ["flux", "current", "keys__age.txt"], ["flux", "current", "keys__age-global.txt"],
            ["flux", "current", "keys__age-pq.txt"], ["other", "humphd-sops-age", "key.txt"],
        ];
        return [.. files.SelectMany(f => Secrets.Age.AgeIdentities.Parse(new StringReader(File.ReadAllText(Path(f)))))];
    }

    public static IEnumerable<IMasterKeySource> AgeSources() => [new AgeKeySource(AgeIdentities())];
}
