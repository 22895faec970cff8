using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>Key Secrets in the Go controller's format, generation, cutoff, renewal and bring-your-own keys (sealed-secrets.md §3).</summary>
public sealed class KeyManagementTests
{
    private static readonly TimeSpan Bound = ControllerRun.Bound;

    private static List<JsonObject> KeySecrets(FakeKubeApiServer fake) =>
        [.. fake.List(KubeResource.Secrets, ControllerRun.ControllerNamespace)
            .Where(s => s["metadata"]?["labels"]?[Secrets.Controller.SealedSecrets.Keys.KeySecrets.Label]?.GetValue<string>() == "active")];

    [Fact]
    public async Task Without_keys_the_leader_generates_one_in_the_go_controller_format_and_serves_its_certificate()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        await using var controller = await ControllerRun.StartAsync(fake);

        await fake.WaitUntilAsync(f => KeySecrets(f).Count == 1, Bound);
        var key = KeySecrets(fake).Single();
        Assert.StartsWith("sealed-secrets-key", key["metadata"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual("sealed-secrets-key", key["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("kubernetes.io/tls", key["type"]!.GetValue<string>());
        var keyPem = Encoding.ASCII.GetString(Convert.FromBase64String(key["data"]!["tls.key"]!.GetValue<string>()));
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", keyPem, StringComparison.Ordinal);
        var certPem = Encoding.ASCII.GetString(Convert.FromBase64String(key["data"]!["tls.crt"]!.GetValue<string>()));
        using var certificate = X509Certificate2.CreateFromPem(certPem);
        Assert.Equal("", certificate.Subject);
        Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.EncipherOnly, usage.KeyUsages);
        Assert.True(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single() is { CertificateAuthority: true, Critical: true });

        using var http = new HttpClient { BaseAddress = controller.BaseAddress };
        await fake.WaitUntilAsync(_ => controller.Service<KeyRegistry>().Latest is not null, Bound);
        Assert.Equal(certPem, await http.GetStringAsync(new Uri("v1/cert.pem", UriKind.Relative)));
    }

    [Fact]
    public async Task A_malformed_key_Secret_is_skipped_and_the_good_key_still_serves()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        var broken = Generate("sealed-secrets-keybroke");
        broken.Data["tls.key"] = "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----\n"u8.ToArray();
        SeedKey(fake, broken);
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake, o => o with { KeyRenewPeriod = TimeSpan.Zero });

        using var http = new HttpClient { BaseAddress = controller.BaseAddress };
        await fake.WaitUntilAsync(_ => controller.Service<KeyRegistry>().Latest is not null, Bound);
        Assert.Equal(CertificatePem(KeySecret), await http.GetStringAsync(new Uri("v1/cert.pem", UriKind.Relative)));
        Assert.Equal(2, KeySecrets(fake).Count);
        Assert.Single(controller.Service<KeyRegistry>().All);
    }

    [Fact]
    public async Task A_newest_key_older_than_the_cutoff_gets_a_successor_and_still_decrypts()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        var old = Generate("sealed-secrets-keyold00", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        SeedKey(fake, old);
        await using var controller = await ControllerRun.StartAsync(fake, o => o with { KeyCutoffTime = new DateTimeOffset(2024, 10, 14, 0, 0, 0, TimeSpan.Zero) });

        await fake.WaitUntilAsync(f => KeySecrets(f).Count == 2, Bound);
        await fake.WaitUntilAsync(_ => controller.Service<KeyRegistry>().All.Count == 2, Bound);
        Assert.NotEqual("sealed-secrets-keyold00", controller.Service<KeyRegistry>().Latest!.SecretName);

        fake.Seed(Seal(old, "apps", "legacy", new Dictionary<string, string> { ["k"] = "still works" }).ToDocument());
        var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "legacy", timeout: Bound);
        Assert.Equal("still works", Value(secret, "k"));
    }

    [Fact]
    public async Task Renewal_adds_a_key_once_the_period_has_passed_and_keeps_the_old_one()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, Generate("sealed-secrets-keyrenew", DateTimeOffset.UtcNow));
        await using var controller = await ControllerRun.StartAsync(fake, o => o with { KeyRenewPeriod = TimeSpan.FromSeconds(2) });

        await fake.WaitUntilAsync(f => KeySecrets(f).Count >= 2, Bound);
        Assert.Contains(KeySecrets(fake), s => s["metadata"]!["name"]!.GetValue<string>() == "sealed-secrets-keyrenew");
    }

    [Fact]
    public async Task A_brought_key_with_the_newest_certificate_becomes_the_sealing_key_without_restart()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, Generate("sealed-secrets-keyfirst", DateTimeOffset.UtcNow.AddDays(-1)));
        await using var controller = await ControllerRun.StartAsync(fake, o => o with { KeyRenewPeriod = TimeSpan.Zero });
        await fake.WaitUntilAsync(_ => controller.Service<KeyRegistry>().All.Count == 1, Bound);

        var brought = Generate("my-own-key", DateTimeOffset.UtcNow);
        SeedKey(fake, brought);

        await fake.WaitUntilAsync(_ => controller.Service<KeyRegistry>().Latest?.SecretName == "my-own-key", Bound);
        using var http = new HttpClient { BaseAddress = controller.BaseAddress };
        Assert.Equal(CertificatePem(brought), await http.GetStringAsync(new Uri("v1/cert.pem", UriKind.Relative)));
    }
}
