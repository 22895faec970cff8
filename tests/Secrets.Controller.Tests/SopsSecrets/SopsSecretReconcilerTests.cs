using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Secrets.Age;
using Secrets.Controller.SopsSecrets;
using Secrets.KeyServices.VaultTransit;
using Secrets.Pgp;
using Secrets.Sops.Keys.Pgp;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes;
using Secrets.TestSupport.Fakes.Kubernetes;
using Secrets.TestSupport.Fakes.Vault;
using static Secrets.Controller.Tests.SopsSecrets.SopsControllerRun;

namespace Secrets.Controller.Tests.SopsSecrets;

/// <summary>SopsSecret → Secrets end to end through the fake API server (docs/gitops.md).</summary>
public sealed class SopsSecretReconcilerTests
{
    private const string Ns = "apps";
    private static readonly TimeSpan Bound = ControllerRun.Bound;

    private static Func<JsonObject, bool> Ready(string status) => ss =>
        ss["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == status)
        && ss["status"]?["observedGeneration"]?.GetValue<long>() == ss["metadata"]!["generation"]!.GetValue<long>();

    private static string Condition(JsonObject ss, string field) =>
        ss["status"]!["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Ready")![field]!.GetValue<string>();

    private static List<JsonObject> Events(FakeKubeApiServer fake, string name) =>
        [.. fake.List(KubeResource.Events, Ns).Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == name)];

    [Fact]
    public async Task Age_key_in_the_controller_Secret_decrypts_every_template_into_owned_Secrets()
    {
        var identity = X25519Identity.Generate();
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(ControllerRun.ControllerNamespace, KeySecretName, ("identity.agekey", "# test\n" + identity + "\n")));
        await using var controller = await SopsControllerRun.StartAsync(fake);

        fake.SeedYaml(await SopsSecretYamlAsync(AgeKey(identity), [PlainSecret(Ns, "db", ("password", "hunter2")), PlainSecret(Ns, "api", ("token", "t0k"))], "bundle"));

        var db = await fake.WaitForAsync(KubeResource.Secrets, Ns, "db", timeout: Bound);
        var api = await fake.WaitForAsync(KubeResource.Secrets, Ns, "api", timeout: Bound);
        Assert.Equal("hunter2", Value(db, "password"));
        Assert.Equal("t0k", Value(api, "token"));
        Assert.Equal("db", db["metadata"]!["labels"]!["app"]!.GetValue<string>());
        var owner = Assert.Single(db["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal(("SopsSecret", "bundle", true), (owner["kind"]!.GetValue<string>(), owner["name"]!.GetValue<string>(), owner["controller"]!.GetValue<bool>()));
        var ready = await fake.WaitForAsync(SopsSecretResource(fake), Ns, "bundle", Ready("True"), Bound);
        Assert.Equal("Succeeded", Condition(ready, "reason"));
        await fake.WaitUntilAsync(f => Events(f, "bundle").Any(e => e["reason"]!.GetValue<string>() == "Decrypted"), Bound);
    }

    [Fact]
    public async Task Wrong_key_sets_Ready_False_with_a_Warning_event_and_keeps_the_existing_Secret()
    {
        var identity = X25519Identity.Generate();
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(ControllerRun.ControllerNamespace, KeySecretName, ("identity.agekey", identity.ToString())));
        await using var controller = await SopsControllerRun.StartAsync(fake);
        fake.SeedYaml(await SopsSecretYamlAsync(AgeKey(identity), [PlainSecret(Ns, "db", ("password", "first"))]));
        await fake.WaitForAsync(KubeResource.Secrets, Ns, "db", s => Value(s, "password") == "first", Bound);

        // The same object re-encrypted for a key the controller does not hold.
        var stranger = X25519Identity.Generate();
        var changed = (JsonObject)YamlJson.Parse(await SopsSecretYamlAsync(AgeKey(stranger), [PlainSecret(Ns, "db", ("password", "second"))]))!;
        fake.Update(SopsSecretResource(fake), Ns, "db", ss =>
        {
            ss["spec"] = changed["spec"]!.DeepClone();
            ss["sops"] = changed["sops"]!.DeepClone();
        });

        var failed = await fake.WaitForAsync(SopsSecretResource(fake), Ns, "db", Ready("False"), Bound);
        Assert.Equal("DecryptionFailed", Condition(failed, "reason"));
        Assert.Contains(stranger.Recipient.ToString(), Condition(failed, "message"), StringComparison.Ordinal);
        Assert.DoesNotContain("second", Condition(failed, "message"), StringComparison.Ordinal);
        await fake.WaitUntilAsync(f => Events(f, "db").Any(e => e["type"]!.GetValue<string>() == "Warning" && e["reason"]!.GetValue<string>() == "DecryptionFailed"), Bound);
        Assert.Equal("first", Value(fake.Get(KubeResource.Secrets, Ns, "db")!, "password"));

        // The same story in the metrics (docs/gitops.md): an error counted by reason, the Ready gauge at -1.
        var metrics = controller.App.Services.GetRequiredService<SopsSecretMetrics>();
        Assert.True(metrics.Errors.WithLabels("DecryptionFailed", Ns).Value >= 1);
        Assert.Equal(-1, metrics.ConditionInfo.WithLabels(Ns, "db", "Ready").Value);
        Assert.True(metrics.Reconciles.Value >= 2);
    }

    [Fact]
    public async Task Key_Secret_named_by_the_SopsSecret_and_created_later_is_picked_up()
    {
        var identity = X25519Identity.Generate();
        await using var fake = await StartFakeAsync();
        await using var controller = await SopsControllerRun.StartAsync(fake);
        fake.SeedYaml(await SopsSecretYamlAsync(AgeKey(identity), [PlainSecret(Ns, "late", ("k", "v"))], shape: d =>
            d["spec"]!["decryption"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "team-keys" } }));
        var missing = await fake.WaitForAsync(SopsSecretResource(fake), Ns, "late", Ready("False"), Bound);
        Assert.Equal("DecryptionSecretNotFound", Condition(missing, "reason"));

        fake.Seed(KeySecret(Ns, "team-keys", ("team.agekey", identity.ToString())));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, Ns, "late", timeout: Bound);
        Assert.Equal("v", Value(secret, "k"));
        await fake.WaitForAsync(SopsSecretResource(fake), Ns, "late", Ready("True"), Bound);
    }

    [Fact]
    public async Task Edited_or_deleted_owned_Secret_is_reverted()
    {
        var identity = X25519Identity.Generate();
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(ControllerRun.ControllerNamespace, KeySecretName, ("identity.agekey", identity.ToString())));
        await using var controller = await SopsControllerRun.StartAsync(fake);
        fake.SeedYaml(await SopsSecretYamlAsync(AgeKey(identity), [PlainSecret(Ns, "db", ("password", "right"))]));
        await fake.WaitForAsync(KubeResource.Secrets, Ns, "db", timeout: Bound);

        fake.Update(KubeResource.Secrets, Ns, "db", s => s["data"]!["password"] = Convert.ToBase64String("tampered"u8.ToArray()));
        await fake.WaitForAsync(KubeResource.Secrets, Ns, "db", s => Value(s, "password") == "right", Bound);

        fake.Delete(KubeResource.Secrets, Ns, "db");
        var recreated = await fake.WaitForAsync(KubeResource.Secrets, Ns, "db", timeout: Bound);
        Assert.Equal("right", Value(recreated, "password"));
    }

    [VectorFact("sops")]
    public async Task Pgp_key_from_an_asc_entry_in_the_namespace_Secret_decrypts()
    {
        var armored = await File.ReadAllTextAsync(RepoPaths.Vector("sops", "keys", "sops_functional_tests_key.asc"));
        var keyring = PgpKeyring.Load([System.Text.Encoding.UTF8.GetBytes(armored)]);
        var key = new PgpKeySource(keyring).Parse("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4");
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(Ns, "pgp-keys", ("sops.asc", armored)));
        await using var controller = await SopsControllerRun.StartAsync(fake);

        fake.SeedYaml(await SopsSecretYamlAsync(key, [PlainSecret(Ns, "pgp", ("password", "from-pgp"))], shape: d =>
            d["spec"]!["decryption"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "pgp-keys" } }));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, Ns, "pgp", timeout: Bound);
        Assert.Equal("from-pgp", Value(secret, "password"));
    }

    [Fact]
    public async Task Vault_transit_key_with_a_sops_vault_token_entry_decrypts()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        using var encryptor = new VaultTransitKeySource(new VaultTransitOptions { Token = vault.RootToken });
        var key = encryptor.Parse(new Uri(vault.Address, "v1/transit/keys/sops").ToString());
        await using var fake = await StartFakeAsync();
        fake.Seed(KeySecret(ControllerRun.ControllerNamespace, KeySecretName, ("sops.vault-token", vault.RootToken + "\n")));
        await using var controller = await SopsControllerRun.StartAsync(fake);

        fake.SeedYaml(await SopsSecretYamlAsync(key, [PlainSecret(Ns, "vaulted", ("password", "from-vault"))]));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, Ns, "vaulted", timeout: Bound);
        Assert.Equal("from-vault", Value(secret, "password"));
    }
}
