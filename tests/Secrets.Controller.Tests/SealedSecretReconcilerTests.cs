using System.Text.Json.Nodes;
using Secrets.Controller.SealedSecrets;
using Secrets.Sealing;
using Secrets.TestSupport.Fakes.Kubernetes;
using static Secrets.Controller.Tests.TestKeys;

namespace Secrets.Controller.Tests;

/// <summary>SealedSecret → Secret end to end (sealed-secrets.md §2.2–2.5).</summary>
public sealed class SealedSecretReconcilerTests
{
    private static readonly TimeSpan Bound = ControllerRun.Bound;

    private static Dictionary<string, string> Values(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static JsonObject Seed(FakeKubeApiServer fake, SealedSecret sealedSecret) => fake.Seed(sealedSecret.ToDocument());

    private static Func<JsonObject, bool> Synced(string status) => ss =>
        ss["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Synced" && c["status"]?.GetValue<string>() == status)
        && ss["status"]?["observedGeneration"]?.GetValue<long>() == ss["metadata"]!["generation"]!.GetValue<long>();

    private static string? Condition(JsonObject ss, string type, string field) =>
        ss["status"]?["conditions"]?.AsArray().First(c => c!["type"]!.GetValue<string>() == type)?[field]?.GetValue<string>();

    private static List<JsonObject> Events(FakeKubeApiServer fake, string name) =>
        [.. fake.List(KubeResource.Events, "apps").Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == name)];

    [Fact]
    public async Task SealedSecret_becomes_a_Secret_it_owns_with_Synced_and_Ready_status_and_an_Unsealed_event()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);

        var ss = Seed(fake, Seal(KeySecret, "apps", "db", Values(("password", "hunter2"), ("user", "app"))));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: Bound);
        Assert.Equal("hunter2", Value(secret, "password"));
        Assert.Equal("app", Value(secret, "user"));
        var owner = Assert.Single(secret["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal(("bitnami.com/v1alpha1", "SealedSecret", "db", true), (owner["apiVersion"]!.GetValue<string>(), owner["kind"]!.GetValue<string>(), owner["name"]!.GetValue<string>(), owner["controller"]!.GetValue<bool>()));
        Assert.Equal(ss["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());
        Assert.Null(owner["blockOwnerDeletion"]);

        var synced = await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "db", Synced("True"), Bound);
        Assert.Equal("", Condition(synced, "Synced", "message"));
        Assert.Equal("True", Condition(synced, "Ready", "status"));
        await fake.WaitUntilAsync(f => Events(f, "db").Any(e => e["reason"]!.GetValue<string>() == "Unsealed"), Bound);
        var unsealed = Events(fake, "db").First(e => e["reason"]!.GetValue<string>() == "Unsealed");
        Assert.Equal(("Normal", "SealedSecret unsealed successfully"), (unsealed["type"]!.GetValue<string>(), unsealed["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Template_sets_metadata_type_immutable_and_renders_data_templates()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);
        var sealedSecret = Seal(KeySecret, "apps", "pg", Values(("host", "db.example.org"), ("port", "5432")), secret =>
        {
            secret.Type = "example.com/connection";
            secret.Immutable = true;
            secret.Metadata.Labels = new(StringComparer.Ordinal) { ["team"] = "payments" };
            secret.Metadata.Annotations = new(StringComparer.Ordinal) { ["note"] = "from template" };
        });
        sealedSecret.Template.Data["url"] = "postgres://{{ .host }}:{{ .port }}/app";

        Seed(fake, sealedSecret);

        var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "pg", timeout: Bound);
        Assert.Equal("postgres://db.example.org:5432/app", Value(secret, "url"));
        Assert.Equal("db.example.org", Value(secret, "host"));
        Assert.Equal("example.com/connection", secret["type"]!.GetValue<string>());
        Assert.True(secret["immutable"]!.GetValue<bool>());
        Assert.Equal("payments", secret["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("from template", secret["metadata"]!["annotations"]!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Skip_set_owner_references_in_the_template_leaves_the_Secret_unowned()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);

        Seed(fake, Seal(KeySecret, "apps", "keep", Values(("k", "v")), secret =>
            secret.Metadata.Annotations = new(StringComparer.Ordinal) { [SealedSecretAnnotations.SkipSetOwnerReferences] = "true" }));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "keep", timeout: Bound);
        Assert.Null(secret["metadata"]!["ownerReferences"]);
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "keep", Synced("True"), Bound);
    }

    [Fact]
    public async Task An_existing_Secret_it_does_not_own_is_left_untouched_with_a_failed_status_and_event()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        fake.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = "apps" },
            ["stringData"] = new JsonObject { ["password"] = "theirs" },
        });
        await using var controller = await ControllerRun.StartAsync(fake);

        Seed(fake, Seal(KeySecret, "apps", "db", Values(("password", "ours"))));

        var failed = await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "db", Synced("False"), Bound);
        Assert.Equal("failed update: Resource \"db\" already exists and is not managed by SealedSecret", Condition(failed, "Synced", "message"));
        Assert.Equal("Unmanaged", Condition(failed, "Ready", "reason"));
        await fake.WaitUntilAsync(f => Events(f, "db").Any(e => e["reason"]!.GetValue<string>() == "ErrUpdateFailed"), Bound);
        var secret = fake.Get(KubeResource.Secrets, "apps", "db")!;
        Assert.Equal("theirs", Value(secret, "password"));
        Assert.Null(secret["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task Managed_annotation_lets_the_controller_take_over_and_replace_the_Secret()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        fake.Seed(ExistingSecret("db", SealedSecretAnnotations.Managed, ("password", "theirs"), ("extra", "dropped")));
        await using var controller = await ControllerRun.StartAsync(fake);

        Seed(fake, Seal(KeySecret, "apps", "db", Values(("password", "ours"))));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => s["metadata"]!["ownerReferences"] is not null, Bound);
        Assert.Equal("ours", Value(secret, "password"));
        Assert.Null(secret["data"]!["extra"]);
    }

    [Fact]
    public async Task Patch_annotation_merges_values_and_keeps_foreign_keys_and_owners()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        fake.Seed(ExistingSecret("db", SealedSecretAnnotations.Patch, ("password", "theirs"), ("extra", "kept")));
        await using var controller = await ControllerRun.StartAsync(fake);

        Seed(fake, Seal(KeySecret, "apps", "db", Values(("password", "ours"))));

        var secret = await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => Value(s, "password") == "ours", Bound);
        Assert.Equal("kept", Value(secret, "extra"));
        Assert.Null(secret["metadata"]!["ownerReferences"]);
        Assert.Equal("true", secret["metadata"]!["annotations"]![SealedSecretAnnotations.Patch]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_key_keeps_the_existing_Secret_reports_status_and_event_and_a_key_added_later_unseals_it()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);
        Seed(fake, Seal(KeySecret, "apps", "db", Values(("password", "v1"))));
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: Bound);

        // The spec now carries a value sealed for a key this controller does not have.
        var foreign = Seal(OtherKeySecret, "apps", "db", Values(("password", "v2")));
        fake.Update(ControllerRun.SealedSecrets(fake), "apps", "db", ss => ss["spec"]!["encryptedData"] = foreign.ToDocument()["spec"]!["encryptedData"]!.DeepClone());

        var failed = await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "db", Synced("False"), Bound);
        Assert.Contains("no key could decrypt", Condition(failed, "Synced", "message"), StringComparison.Ordinal);
        Assert.Equal("UnsealFailed", Condition(failed, "Ready", "reason"));
        await fake.WaitUntilAsync(f => Events(f, "db").Any(e => e["reason"]!.GetValue<string>() == "ErrUnsealFailed"), Bound);
        var warning = Events(fake, "db").First(e => e["reason"]!.GetValue<string>() == "ErrUnsealFailed");
        Assert.StartsWith("Failed to unseal: ", warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("v2", warning["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("v1", Value(fake.Get(KubeResource.Secrets, "apps", "db")!, "password"));

        SeedKey(fake, OtherKeySecret);

        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => Value(s, "password") == "v2", Bound);
        await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "db", Synced("True"), Bound);
    }

    [Fact]
    public async Task Manual_edits_and_deletes_of_an_owned_Secret_are_reverted()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);
        Seed(fake, Seal(KeySecret, "apps", "db", Values(("password", "sealed"))));
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: Bound);

        fake.Update(KubeResource.Secrets, "apps", "db", s => s["data"]!["password"] = Convert.ToBase64String("edited"u8.ToArray()));
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", s => Value(s, "password") == "sealed", Bound);

        fake.Delete(KubeResource.Secrets, "apps", "db");
        var recreated = await fake.WaitForAsync(KubeResource.Secrets, "apps", "db", timeout: Bound);
        Assert.Equal("sealed", Value(recreated, "password"));
    }

    [Fact]
    public async Task A_restarted_controller_does_not_rewrite_unchanged_Secrets()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using (var first = await ControllerRun.StartAsync(fake))
        {
            Seed(fake, Seal(KeySecret, "apps", "a", Values(("k", "1"))));
            Seed(fake, Seal(KeySecret, "apps", "b", Values(("k", "2"))));
            await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "a", Synced("True"), Bound);
            await fake.WaitForAsync(ControllerRun.SealedSecrets(fake), "apps", "b", Synced("True"), Bound);
        }

        fake.ClearRequests();
        await using var second = await ControllerRun.StartAsync(fake);
        var metrics = second.Service<SealedSecretMetrics>();
        await fake.WaitUntilAsync(_ => metrics.UnsealSkipped.Value + metrics.UnsealRequests.Value >= 2, Bound);
        await Task.Delay(500);

        Assert.DoesNotContain(fake.Requests, r => r.Resource == "secrets" && r.Verb is "update" or "create" or "patch" && r.Namespace == "apps");
        Assert.DoesNotContain(fake.Requests, r => r.Subresource == "status");
    }

    [Fact]
    public async Task Watches_recover_from_410_expiry_and_dropped_connections()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake);
        Seed(fake, Seal(KeySecret, "apps", "before", Values(("k", "v"))));
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "before", timeout: Bound);

        fake.Compact(expireWatches: true);
        Seed(fake, Seal(KeySecret, "apps", "after-410", Values(("k", "v"))));
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "after-410", timeout: Bound);

        fake.Faults.FailNext(2, KubeFault.InternalError, r => r.Verb == "watch");
        fake.DropWatches();
        Seed(fake, Seal(KeySecret, "apps", "after-drop", Values(("k", "v"))));
        await fake.WaitForAsync(KubeResource.Secrets, "apps", "after-drop", timeout: Bound);

        var informer = controller.Service<Framework.ResourceController<V1Alpha1SealedSecret>>().Informer;
        Assert.True(informer.Relists >= 1);
    }

    [Fact]
    public async Task Namespaces_flag_limits_reconciling_to_the_listed_namespaces()
    {
        await using var fake = await ControllerRun.StartFakeAsync();
        SeedKey(fake, KeySecret);
        await using var controller = await ControllerRun.StartAsync(fake, o => o with { Namespaces = ["apps"] });

        Seed(fake, Seal(KeySecret, "other", "ignored", Values(("k", "v"))));
        Seed(fake, Seal(KeySecret, "apps", "watched", Values(("k", "v"))));

        await fake.WaitForAsync(KubeResource.Secrets, "apps", "watched", timeout: Bound);
        Assert.Null(fake.Get(KubeResource.Secrets, "other", "ignored"));
    }

    private static JsonObject ExistingSecret(string name, string annotation, params (string Key, string Value)[] values) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "apps",
            ["annotations"] = new JsonObject { [annotation] = "true" },
        },
        ["stringData"] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
    };
}
