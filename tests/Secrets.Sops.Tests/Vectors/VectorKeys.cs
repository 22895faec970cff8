using Secrets.Core.Keys;
using Secrets.Pgp;
using Secrets.Sops.Keys;
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

    /// <summary>age identities of the vectors (filled in once the age key source exists).</summary>
    public static IEnumerable<IMasterKeySource> AgeSources() => [];
}
