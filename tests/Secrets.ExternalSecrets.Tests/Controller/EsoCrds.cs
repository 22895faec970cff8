using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.ExternalSecrets.Tests.Controller;

/// <summary>The external-secrets.io CRDs we ship (controller/deploy/external-secrets/crds), installed into a fake API server.</summary>
internal static class EsoCrds
{
    public static async Task SeedAsync(FakeKubeApiServer api)
    {
        foreach (var crd in Directory.GetFiles(Path.Combine(RepoPaths.Root, "controller", "deploy", "external-secrets", "crds"), "external-secrets.io_*.yaml"))
        {
            api.SeedYaml(await File.ReadAllTextAsync(crd));
        }
    }

    /// <summary>A registered resource by plural; the ESO group wins over a core resource of the same plural.</summary>
    public static KubeResource Resource(FakeKubeApiServer api, string plural) =>
        api.Resources.Where(r => r.Plural == plural).OrderBy(r => r.Group.Length).First();
}
