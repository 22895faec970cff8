using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Secrets.TestSupport.Fakes.Vault;

namespace Secrets.TestSupport.Tests.Vault;

/// <summary>The fake Vault driven over real HTTP with HttpClient, the way the project's thin Vault clients talk to it.</summary>
public sealed class FakeVaultTests
{
    private static HttpClient Client(FakeVault vault, string? token, string? ns = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(vault.Address, "v1/") };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add("X-Vault-Token", token);
        }

        if (ns is not null)
        {
            http.DefaultRequestHeaders.Add("X-Vault-Namespace", ns);
        }

        return http;
    }

    private static async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(HttpClient http, string method, string path, JsonObject? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject());
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Transit_encrypts_to_versioned_ciphertexts_and_decrypts_after_rotation()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit("team/sops");
        using var http = Client(vault, vault.RootToken);

        var (_, v1) = await SendAsync(http, "POST", "team/sops/encrypt/k", new JsonObject { ["plaintext"] = B64("data key") });
        var (_, _) = await SendAsync(http, "POST", "team/sops/keys/k/rotate");
        var (_, v2) = await SendAsync(http, "POST", "team/sops/encrypt/k", new JsonObject { ["plaintext"] = B64("data key") });
        var (_, decrypted) = await SendAsync(http, "POST", "team/sops/decrypt/k", new JsonObject { ["ciphertext"] = v1!["data"]!["ciphertext"]!.GetValue<string>() });
        var (_, info) = await SendAsync(http, "GET", "team/sops/keys/k");

        Assert.StartsWith("vault:v1:", v1["data"]!["ciphertext"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("vault:v2:", v2!["data"]!["ciphertext"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(B64("data key"), decrypted!["data"]!["plaintext"]!.GetValue<string>());
        Assert.Equal(2, info!["data"]!["latest_version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Transit_rejects_tampered_foreign_and_too_old_ciphertexts()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        vault.RotateTransitKey("a");
        vault.RotateTransitKey("b");
        using var http = Client(vault, vault.RootToken);
        var (_, encrypted) = await SendAsync(http, "POST", "transit/encrypt/a", new JsonObject { ["plaintext"] = B64("x") });
        var ciphertext = encrypted!["data"]!["ciphertext"]!.GetValue<string>();

        var (foreignStatus, foreign) = await SendAsync(http, "POST", "transit/decrypt/b", new JsonObject { ["ciphertext"] = ciphertext });
        var (prefixStatus, prefix) = await SendAsync(http, "POST", "transit/decrypt/a", new JsonObject { ["ciphertext"] = "v1:abc" });
        var (missingStatus, missing) = await SendAsync(http, "POST", "transit/decrypt/zzz", new JsonObject { ["ciphertext"] = ciphertext });
        vault.RotateTransitKey("a");
        await SendAsync(http, "POST", "transit/keys/a/config", new JsonObject { ["min_decryption_version"] = 2 });
        var (oldStatus, old) = await SendAsync(http, "POST", "transit/decrypt/a", new JsonObject { ["ciphertext"] = ciphertext });

        Assert.Equal((HttpStatusCode.BadRequest, "cipher: message authentication failed"), (foreignStatus, foreign!["errors"]![0]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid ciphertext: no prefix"), (prefixStatus, prefix!["errors"]![0]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "encryption key not found"), (missingStatus, missing!["errors"]![0]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, oldStatus);
        Assert.Contains("too old", old!["errors"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kv_v2_keeps_versions_metadata_and_soft_deletes()
    {
        await using var vault = await FakeVault.StartAsync();
        using var http = Client(vault, vault.RootToken);

        await SendAsync(http, "POST", "secret/data/app/db", new JsonObject { ["data"] = new JsonObject { ["password"] = "one" } });
        await SendAsync(http, "POST", "secret/data/app/db", new JsonObject { ["data"] = new JsonObject { ["password"] = "two" }, ["options"] = new JsonObject { ["cas"] = 1 } });
        var (casStatus, _) = await SendAsync(http, "POST", "secret/data/app/db", new JsonObject { ["data"] = new JsonObject(), ["options"] = new JsonObject { ["cas"] = 1 } });
        var (_, latest) = await SendAsync(http, "GET", "secret/data/app/db");
        var (_, first) = await SendAsync(http, "GET", "secret/data/app/db?version=1");
        var (_, metadata) = await SendAsync(http, "GET", "secret/metadata/app/db");
        var (_, listed) = await SendAsync(http, "LIST", "secret/metadata/app");
        var (_, listedByQuery) = await SendAsync(http, "GET", "secret/metadata/?list=true");
        await SendAsync(http, "DELETE", "secret/data/app/db");
        var (deletedStatus, deleted) = await SendAsync(http, "GET", "secret/data/app/db");
        var (missingStatus, missing) = await SendAsync(http, "GET", "secret/data/app/none");

        Assert.Equal(HttpStatusCode.BadRequest, casStatus);
        Assert.Equal("two", latest!["data"]!["data"]!["password"]!.GetValue<string>());
        Assert.Equal(2, latest["data"]!["metadata"]!["version"]!.GetValue<int>());
        Assert.Equal("one", first!["data"]!["data"]!["password"]!.GetValue<string>());
        Assert.Equal(2, metadata!["data"]!["current_version"]!.GetValue<int>());
        Assert.Equal(2, metadata["data"]!["versions"]!.AsObject().Count);
        Assert.Equal("[\"db\"]", listed!["data"]!["keys"]!.ToJsonString());
        Assert.Equal("[\"app/\"]", listedByQuery!["data"]!["keys"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, deletedStatus);
        Assert.NotEqual("", deleted!["data"]!["metadata"]!["deletion_time"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode.NotFound, "[]"), (missingStatus, missing!["errors"]!.ToJsonString()));
    }

    [Fact]
    public async Task Kv_v1_reads_what_was_written()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountKv("legacy", version: 1);
        using var http = Client(vault, vault.RootToken);

        var (writeStatus, _) = await SendAsync(http, "POST", "legacy/app", new JsonObject { ["user"] = "u", ["n"] = 3 });
        var (_, read) = await SendAsync(http, "GET", "legacy/app");
        var (_, mount) = await SendAsync(http, "GET", "sys/internal/ui/mounts/legacy/app");

        Assert.Equal(HttpStatusCode.NoContent, writeStatus);
        Assert.Equal("{\"user\":\"u\",\"n\":3}", read!["data"]!.ToJsonString());
        Assert.Equal("1", mount!["data"]!["options"]!["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kubernetes_and_approle_logins_issue_tokens_limited_to_their_paths()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.PutKv("secret", "eso/a", new Dictionary<string, string> { ["k"] = "v" });
        vault.PutKv("secret", "other/b", new Dictionary<string, string> { ["k"] = "v" });
        vault.AddKubernetesRole("eso", "sa-jwt", ["secret/data/eso/"]);
        vault.AddAppRole("role-id", "secret-id", ["secret/data/other/"], mount: "ci-approle");
        using var anonymous = Client(vault, null);

        var (_, k8s) = await SendAsync(anonymous, "POST", "auth/kubernetes/login", new JsonObject { ["role"] = "eso", ["jwt"] = "sa-jwt" });
        var (badJwt, _) = await SendAsync(anonymous, "POST", "auth/kubernetes/login", new JsonObject { ["role"] = "eso", ["jwt"] = "other" });
        var (badRole, badRoleBody) = await SendAsync(anonymous, "POST", "auth/kubernetes/login", new JsonObject { ["role"] = "x", ["jwt"] = "sa-jwt" });
        var (_, approle) = await SendAsync(anonymous, "POST", "auth/ci-approle/login", new JsonObject { ["role_id"] = "role-id", ["secret_id"] = "secret-id" });
        using var esoClient = Client(vault, k8s!["auth"]!["client_token"]!.GetValue<string>());
        using var ciClient = Client(vault, approle!["auth"]!["client_token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(esoClient, "GET", "secret/data/eso/a")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(esoClient, "GET", "secret/data/other/b")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(ciClient, "GET", "secret/data/other/b")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(ciClient, "GET", "auth/token/lookup-self")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, badJwt);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid role name \"x\""), (badRole, badRoleBody!["errors"]![0]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(anonymous, "GET", "secret/data/eso/a")).Status);
        Assert.Contains("eso-policy", k8s["auth"]!["policies"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task Namespaces_separate_mounts_and_tokens()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountKv("kv", ns: "team-a");
        vault.PutKv("kv", "x", new Dictionary<string, string> { ["k"] = "in-a" }, ns: "team-a");
        var token = vault.CreateToken(["kv/"], ns: "team-a");
        using var inA = Client(vault, token, "team-a");
        using var inB = Client(vault, token, "team-b");
        using var root = Client(vault, vault.RootToken);

        var (_, read) = await SendAsync(inA, "GET", "kv/data/x");

        Assert.Equal("in-a", read!["data"]!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(inB, "GET", "kv/data/x")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(root, "GET", "kv/data/x")).Status);
    }

    [Fact]
    public async Task Faults_sealing_and_health_answer_with_vault_errors()
    {
        await using var vault = await FakeVault.StartAsync();
        vault.MountTransit();
        using var http = Client(vault, vault.RootToken);
        vault.Faults.FailNext(1, VaultFault.RateLimited, r => r.Path.StartsWith("transit/", StringComparison.Ordinal));

        var (limited, body) = await SendAsync(http, "POST", "transit/encrypt/k", new JsonObject { ["plaintext"] = B64("x") });
        var (after, _) = await SendAsync(http, "POST", "transit/encrypt/k", new JsonObject { ["plaintext"] = B64("x") });
        vault.SetSealed(true);
        var (sealedStatus, sealedBody) = await SendAsync(http, "POST", "transit/encrypt/k", new JsonObject { ["plaintext"] = B64("x") });
        var (healthStatus, health) = await SendAsync(http, "GET", "sys/health");

        Assert.Equal((HttpStatusCode.TooManyRequests, "rate limit quota exceeded"), (limited, body!["errors"]![0]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Vault is sealed"), (sealedStatus, sealedBody!["errors"]![0]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthStatus);
        Assert.True(health!["sealed"]!.GetValue<bool>());
        Assert.Equal([429, 200, 503, 503], vault.Requests.Select(r => r.StatusCode));
    }
}
