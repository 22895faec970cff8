using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.Sealing;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>The controller HTTP API over a real loopback Kestrel (sealed-secrets.md §4.1, §5).</summary>
public sealed class HttpApiTests
{
    private static async Task<(Secrets.TestSupport.Fakes.Kubernetes.FakeKubeApiServer Fake, ControllerRun Controller, HttpClient Http)> StartAsync(int rateLimit = 100)
    {
        var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        var controller = await ControllerRun.StartAsync(fake, o => o with { RateLimit = rateLimit, RateLimitBurst = rateLimit, KeyRenewPeriod = TimeSpan.Zero });
        await fake.WaitUntilAsync(_ => controller.Service<Secrets.Controller.SealedSecrets.Keys.KeyRegistry>().Latest is not null, ControllerRun.Bound);
        return (fake, controller, new HttpClient { BaseAddress = controller.BaseAddress });
    }

    private static StringContent Body(SealedSecret sealedSecret) => new(sealedSecret.ToDocument().ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public async Task Probes_and_cert_pem_answer_like_upstream()
    {
        var (fake, controller, http) = await StartAsync();
        await using (fake)
        await using (controller)
        using (http)
        {
            Assert.Equal("ok\n", await http.GetStringAsync(new Uri("healthz", UriKind.Relative)));
            await fake.WaitUntilAsync(_ => http.GetAsync(new Uri("readyz", UriKind.Relative)).Result.IsSuccessStatusCode, ControllerRun.Bound);
            using var cert = await http.GetAsync(new Uri("v1/cert.pem", UriKind.Relative));
            Assert.Equal("application/x-pem-file", cert.Content.Headers.ContentType!.MediaType);
            Assert.Equal(CertificatePem(KeySecret), await cert.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Verify_answers_200_for_a_good_SealedSecret_and_one_identical_409_for_every_unseal_failure()
    {
        var (fake, controller, http) = await StartAsync();
        await using (fake)
        await using (controller)
        using (http)
        {
            var good = Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" });
            using var ok = await http.PostAsync(new Uri("v1/verify", UriKind.Relative), Body(good));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

            var wrongKey = Seal(OtherKeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" });
            var tampered = Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" });
            var blob = Convert.FromBase64String(tampered.EncryptedData["k"]);
            blob[^1] ^= 1;
            tampered.EncryptedData["k"] = Convert.ToBase64String(blob);
            var renamed = Seal(KeySecret, "apps", "other-name", new Dictionary<string, string> { ["k"] = "v" });
            renamed.Metadata.Name = "db";

            var answers = new List<(HttpStatusCode, string)>();
            foreach (var bad in new[] { wrongKey, tampered, renamed })
            {
                using var response = await http.PostAsync(new Uri("v1/verify", UriKind.Relative), Body(bad));
                answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }

            Assert.All(answers, a => Assert.Equal((HttpStatusCode.Conflict, "Conflict\n"), a));
            using var garbage = await http.PostAsync(new Uri("v1/verify", UriKind.Relative), new StringContent("{not json", Encoding.UTF8));
            Assert.Equal(HttpStatusCode.InternalServerError, garbage.StatusCode);
        }
    }

    [Fact]
    public async Task Verify_is_rate_limited_per_client()
    {
        var (fake, controller, http) = await StartAsync(rateLimit: 2);
        await using (fake)
        await using (controller)
        using (http)
        {
            var body = Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" }).ToDocument().ToJsonString();
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                using var response = await http.PostAsync(new Uri("v1/verify", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
                codes.Add(response.StatusCode);
            }

            Assert.Contains(HttpStatusCode.TooManyRequests, codes);
            Assert.Equal(HttpStatusCode.OK, codes[0]);
        }
    }

    [Fact]
    public async Task Rotate_reseals_with_the_latest_key_and_turns_template_data_into_items()
    {
        var (fake, controller, http) = await StartAsync();
        await using (fake)
        await using (controller)
        using (http)
        {
            var sealedSecret = Seal(KeySecret, "apps", "pg", new Dictionary<string, string> { ["host"] = "db" });
            sealedSecret.Template.Data["url"] = "postgres://{{ .host }}/app";

            using var response = await http.PostAsync(new Uri("v1/rotate", UriKind.Relative), Body(sealedSecret));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var rotated = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Null(rotated["kind"]);
            rotated["kind"] = "SealedSecret";
            rotated["apiVersion"] = "bitnami.com/v1alpha1";
            var keys = new UnsealingKeySet();
            keys.Add(Encoding.ASCII.GetString(KeySecret.Data["tls.key"]), "key");
            var unsealed = keys.Unseal(SealedSecret.FromDocument(rotated, "rotated"));
            Assert.Equal("postgres://db/app", Encoding.UTF8.GetString(unsealed.Data["url"]));
            Assert.Equal("db", Encoding.UTF8.GetString(unsealed.Data["host"]));
            Assert.Null(rotated["spec"]!["template"]!["data"]);
            Assert.NotEqual(sealedSecret.EncryptedData["host"], rotated["spec"]!["encryptedData"]!["host"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Metrics_expose_upstream_names_and_reconcile_latency()
    {
        var (fake, controller, http) = await StartAsync();
        await using (fake)
        await using (controller)
        using (http)
        {
            fake.Seed(Seal(KeySecret, "apps", "db", new Dictionary<string, string> { ["k"] = "v" }).ToDocument());
            await fake.WaitForAsync(Secrets.TestSupport.Fakes.Kubernetes.KubeResource.Secrets, "apps", "db", timeout: ControllerRun.Bound);
            await http.GetStringAsync(new Uri("v1/cert.pem", UriKind.Relative));

            // The reconcile's duration is observed when it returns, after the Secret and the status it wrote: wait for both.
            const string reconciled = "secrets_controller_reconcile_duration_seconds_count{controller=\"sealedsecret\",result=\"success\"}";
            var text = "";
            await fake.WaitUntilAsync(
                _ => (text = http.GetStringAsync(new Uri("metrics", UriKind.Relative)).Result).Contains("sealed_secrets_controller_condition_info{", StringComparison.Ordinal)
                    && text.Contains(reconciled, StringComparison.Ordinal),
                ControllerRun.Bound);

            Assert.Contains("sealed_secrets_controller_unseal_requests_total 1", text, StringComparison.Ordinal);
            Assert.Contains("sealed_secrets_controller_http_requests_total{path=\"/v1/cert.pem\",code=\"200\",method=\"GET\"} 1", text, StringComparison.Ordinal);
            Assert.Contains(reconciled, text, StringComparison.Ordinal);
            Assert.Contains("sealed_secrets_controller_condition_info{namespace=\"apps\",name=\"db\",condition=\"Synced\",ss_app_kubernetes_io_instance=\"\"} 1", text, StringComparison.Ordinal);
        }
    }
}
