using Secrets.Core;
using Secrets.Sops.Keys;
using Secrets.Sops.Keys.Pgp;
using Secrets.Sops.Stores;
using Secrets.TestSupport;

namespace Secrets.Sops.Tests.Vectors;

/// <summary>The no-data-key report names each stored key with the key source's own reason (sops.md §5).</summary>
public sealed class NoKeyReportTests
{
    [VectorFact("sops")]
    public async Task A_pgp_key_missing_from_the_keyring_is_reported_with_the_pgp_reason()
    {
        // Only Flux's PGP key: neither of the two keys example.yaml was encrypted for.
        var keyring = Secrets.Pgp.PgpKeyring.Load([File.ReadAllBytes(VectorKeys.Path("flux", "current", "keys__pgp.asc"))]);
        var recovery = new DataKeyRecovery(new MasterKeyRegistry([new PgpKeySource(keyring)]));
        var sops = new YamlStore().LoadEncrypted(File.ReadAllBytes(VectorKeys.Path("sops-repo", "example.yaml")));

        var error = await Assert.ThrowsAsync<NoMatchingKeyException>(() => recovery.RecoverAsync(sops.Metadata, CancellationToken.None));

        Assert.Equal(2, error.Attempts.Count);
        Assert.StartsWith("pgp FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4: ", error.Attempts[0], StringComparison.Ordinal);
        Assert.DoesNotContain("no matching identity or key available", error.Attempts[0], StringComparison.Ordinal);
        Assert.Contains("D7229043384BCC60326C6FB9D8720D957C3D3074", error.Attempts[1], StringComparison.Ordinal);
    }
}
