using System.Text.Json.Nodes;
using Secrets.Cli;
using Secrets.Sealing;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>
/// Issue 6 item 9: <c>secrets seal --fetch-cert</c>, sealing without <c>--cert</c> and <c>--validate</c> run in process against
/// the running controller, reached like kubeseal does through the API server's service proxy (sealed-secrets.md §4.2).
/// </summary>
public sealed class CliAgainstControllerTests
{
    private static async Task<(FakeKubeApiServer Fake, ControllerRun Controller, TempDirectory Temp, string Kubeconfig)> StartAsync()
    {
        var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        var controller = await ControllerRun.StartAsync(fake);
        var readiness = controller.Service<Framework.Readiness>();
        await fake.WaitUntilAsync(_ => readiness.IsReady, ControllerRun.Bound);
        fake.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "sealed-secrets-controller", ["namespace"] = ControllerRun.ControllerNamespace },
            ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080 }) },
        });
        fake.MapServiceProxy(ControllerRun.ControllerNamespace, "sealed-secrets-controller", controller.BaseAddress);
        var temp = new TempDirectory();
        return (fake, controller, temp, fake.WriteKubeconfig(temp.File("kubeconfig")));
    }

    [Fact]
    public async Task Fetch_cert_prints_the_controllers_certificate_and_sealing_without_cert_reaches_the_Secret()
    {
        var (fake, controller, temp, kubeconfig) = await StartAsync();
        await using (fake)
        await using (controller)
        using (temp)
        {
            var cert = await InProcessCli.RunAsync(null, "seal", "--fetch-cert", "--kubeconfig", kubeconfig);
            Assert.True(cert.Code == 0, cert.StdErr);
            Assert.Equal(CertificatePem(KeySecret), cert.StdOut);

            const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: apps\nstringData:\n  password: hunter2\n";
            var sealedYaml = await InProcessCli.RunAsync(Secret, "seal", "--kubeconfig", kubeconfig, "-o", "yaml");
            Assert.True(sealedYaml.Code == 0, sealedYaml.StdErr);
            fake.SeedYaml(sealedYaml.StdOut);

            var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: ControllerRun.Bound);
            Assert.Equal("hunter2", Value(secret, "password"));
            Assert.Contains(fake.Requests, r => r is { Resource: "services", Subresource: "proxy", Verb: "get" } && r.Name!.Contains("sealed-secrets-controller", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Validate_accepts_what_the_controller_can_unseal_and_rejects_the_rest()
    {
        var (fake, controller, temp, kubeconfig) = await StartAsync();
        await using (fake)
        await using (controller)
        using (temp)
        {
            var good = temp.File("good.yaml");
            var bad = temp.File("bad.yaml");
            await File.WriteAllTextAsync(good, ManifestText(Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" })));
            await File.WriteAllTextAsync(bad, ManifestText(Seal(OtherKeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" })));

            var accepted = await InProcessCli.RunAsync(null, "seal", "--validate", "--kubeconfig", kubeconfig, "-f", good);
            var rejected = await InProcessCli.RunAsync(null, "seal", "--validate", "--kubeconfig", kubeconfig, "-f", bad);

            Assert.True(accepted.Code == 0, accepted.StdErr);
            Assert.Equal(ExitCodes.CouldNotRetrieveKey, rejected.Code);
            Assert.Contains("error: unable to decrypt sealed secret: db", rejected.StdErr, StringComparison.Ordinal);
            Assert.Contains(fake.Requests, r => r is { Resource: "services", Subresource: "proxy", Verb: "create" });
        }
    }

    private static string ManifestText(SealedSecret sealedSecret) => sealedSecret.ToDocument().ToJsonString();
}
