using System.Text;
using Secrets.Sealing;
using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Seal;

public class SealCommandTests
{
    [VectorTheory(SealFixtures.Vectors)]
    [InlineData("strict")]
    [InlineData("namespace-wide")]
    [InlineData("cluster-wide")]
    public async Task Seal_then_unseal_round_trips_in_every_scope(string scope)
    {
        using var dir = new TempDirectory();
        var cli = new CliRunner { CurrentDirectory = dir.Path };

        var sealedResult = await cli.RunAsync(SealFixtures.SecretYaml(), "seal", "--cert", SealFixtures.JsCert, "--scope", scope, "-o", "yaml", "-w", "db.sealed.yaml");
        var unsealed = await cli.RunAsync("unseal", "-k", SealFixtures.JsKey, "-f", "db.sealed.yaml", "-o", "yaml");

        Assert.Equal(0, sealedResult.ExitCode);
        var sealedSecret = SealFixtures.ReadSealed(File.ReadAllBytes(dir.File("db.sealed.yaml")));
        Assert.Equal(scope, sealedSecret.Scope.ToFlagValue());
        Assert.Equal(0, unsealed.ExitCode);
        Assert.Contains("password: czNjcjN0LXZhbHVl", unsealed.StdOutText, StringComparison.Ordinal);
        Assert.StartsWith("---\napiVersion: v1\n", unsealed.StdOutText, StringComparison.Ordinal);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Json_is_the_default_output_and_several_documents_are_sealed()
    {
        var input = SealFixtures.SecretYaml("a").Concat("\n---\n"u8.ToArray()).Concat(SealFixtures.SecretYaml("b")).ToArray();

        var result = await new CliRunner().RunAsync(input, "seal", "--cert", SealFixtures.JsCert);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("{\n  \"kind\": \"SealedSecret\",\n  \"apiVersion\": \"bitnami.com/v1alpha1\",\n", result.StdOutText, StringComparison.Ordinal);
        var names = Secrets.Sealing.Manifests.ManifestReader.ReadObjects(result.StdOut, "out").Select(o => (string?)o["metadata"]!["name"]).ToList();
        Assert.Equal(["a", "b"], names);
        Assert.DoesNotContain("s3cr3t", result.StdOutText, StringComparison.Ordinal);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Output_file_with_yaml_extension_is_yaml_and_private()
    {
        using var dir = new TempDirectory();

        var result = await new CliRunner { CurrentDirectory = dir.Path }.RunAsync(SealFixtures.SecretYaml(), "seal", "--cert", SealFixtures.JsCert, "-w", "out.yml");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("---\napiVersion: bitnami.com/v1alpha1\n", File.ReadAllText(dir.File("out.yml")), StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Raw_mode_prints_bare_base64_sealed_for_the_strict_label()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("value.bin"), [0, 1, 2, 10]);
        var cli = new CliRunner { CurrentDirectory = dir.Path };

        var fromStdin = await cli.RunAsync("line\n"u8.ToArray(), "seal", "--raw", "--cert", SealFixtures.JsCert, "-n", "prod", "--name", "db");
        var fromFile = await cli.RunAsync("seal", "--raw", "--from-file", "item=value.bin", "--cert", SealFixtures.JsCert, "--scope", "namespace-wide", "-n", "prod");

        Assert.Equal(0, fromStdin.ExitCode);
        Assert.DoesNotContain("\n", fromStdin.StdOutText, StringComparison.Ordinal);
        var keys = SealFixtures.KeysFrom(File.ReadAllText(SealFixtures.JsKey));
        Assert.True(keys.TryUnseal(fromStdin.StdOutText, "prod/db"u8.ToArray(), out var line));
        Assert.Equal("line\n"u8.ToArray(), line);
        Assert.True(keys.TryUnseal(fromFile.StdOutText, "prod"u8.ToArray(), out var binary));
        Assert.Equal(new byte[] { 0, 1, 2, 10 }, binary);
    }

    [VectorTheory(SealFixtures.Vectors)]
    [InlineData("--name", "db")]
    [InlineData("-n", "prod")]
    public async Task Raw_mode_in_strict_scope_needs_name_and_namespace(string flag, string value)
    {
        var result = await new CliRunner().RunAsync("v"u8.ToArray(), "seal", "--raw", "--cert", SealFixtures.JsCert, flag, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: --raw in strict scope needs", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Merge_into_rewrites_the_file_in_place_with_new_and_replaced_items()
    {
        using var dir = new TempDirectory();
        var cli = new CliRunner { CurrentDirectory = dir.Path };
        await cli.RunAsync(SealFixtures.SecretYaml(password: "old"), "seal", "--cert", SealFixtures.JsCert, "-w", "db.yaml");
        var update = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ignored\nstringData:\n  password: new\n  user: admin\n"u8.ToArray();

        var merged = await cli.RunAsync(update, "seal", "--cert", SealFixtures.JsCert, "--merge-into", "db.yaml");
        var unsealed = await cli.RunAsync("unseal", "-k", SealFixtures.JsKey, "-f", "db.yaml");

        Assert.Equal(0, merged.ExitCode);
        Assert.StartsWith("---\n", File.ReadAllText(dir.File("db.yaml")), StringComparison.Ordinal);
        var data = SealFixtures.ReadOne(unsealed.StdOut)["data"]!;
        Assert.Equal(Convert.ToBase64String("new"u8), (string?)data["password"]);
        Assert.Equal(Convert.ToBase64String("admin"u8), (string?)data["user"]);
        Assert.Equal("db", (string?)SealFixtures.ReadOne(unsealed.StdOut)["metadata"]!["name"]);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Expired_certificate_seals_with_a_warning()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("old.pem"), SealFixtures.ExpiredCert);

        var result = await new CliRunner { CurrentDirectory = dir.Path }.RunAsync(SealFixtures.SecretYaml(), "seal", "--cert", "old.pem");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: the certificate in \"old.pem\" expired on ", result.StdErr, StringComparison.Ordinal);
        Assert.NotEmpty(result.StdOut);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Namespace_comes_from_the_kubeconfig_context_and_must_match_an_explicit_one()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config"), "apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u, namespace: team-a}\nclusters:\n- name: k\n  cluster: {server: 'https://127.0.0.1:1'}\nusers:\n- name: u\n  user: {token: t}\n");
        var cli = new CliRunner { CurrentDirectory = dir.Path };
        cli.Environment["KUBECONFIG"] = dir.File("config");

        var defaulted = await cli.RunAsync(SealFixtures.SecretYaml(ns: null), "seal", "--cert", SealFixtures.JsCert);
        var mismatch = await cli.RunAsync(SealFixtures.SecretYaml(ns: "prod"), "seal", "--cert", SealFixtures.JsCert, "-n", "other");

        Assert.Equal(0, defaulted.ExitCode);
        Assert.Equal("team-a", SealFixtures.ReadSealed(defaulted.StdOut).Metadata.Namespace);
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("namespace mismatch", mismatch.StdErr, StringComparison.Ordinal);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Recovery_unseal_accepts_comma_separated_and_repeated_keys_of_both_forms()
    {
        var input = File.ReadAllBytes(SealFixtures.JsSet("strict.yaml"));

        var result = await new CliRunner().RunAsync(input, "seal", "--recovery-unseal", "--recovery-private-key", $"{SealFixtures.GoKey},{SealFixtures.JsKeySecret}", "--recovery-private-key", SealFixtures.GoKey);

        Assert.Equal(0, result.ExitCode);
        var data = SealFixtures.ReadOne(result.StdOut)["data"]!;
        Assert.Equal(Convert.ToBase64String("correct horse battery staple"u8), (string?)data["pass"]);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("🔒 sealed")), (string?)data["emoji.txt"]);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Unseal_writes_the_secret_to_a_private_file()
    {
        using var dir = new TempDirectory();

        var result = await new CliRunner { CurrentDirectory = dir.Path }.RunAsync("unseal", "-k", SealFixtures.JsKey, "-f", SealFixtures.JsSet("cluster-wide.yaml"), "-w", "secret.json");

        Assert.Equal(0, result.ExitCode);
        var secret = SealFixtures.ReadOne(File.ReadAllBytes(dir.File("secret.json")));
        Assert.Equal(Convert.ToBase64String("postgres://db.example.org:5432/app"u8), (string?)secret["data"]!["url"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("secret.json")));
        }
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Allow_empty_data_seals_a_secret_without_items()
    {
        var empty = "apiVersion: v1\nkind: Secret\nmetadata: {name: empty, namespace: prod}\ntype: Opaque\n"u8.ToArray();

        var refused = await new CliRunner().RunAsync(empty, "seal", "--cert", SealFixtures.JsCert);
        var allowed = await new CliRunner().RunAsync(empty, "seal", "--cert", SealFixtures.JsCert, "--allow-empty-data", "-o", "yaml");

        Assert.Equal(4, refused.ExitCode);
        Assert.True(allowed.ExitCode == 0, allowed.StdErr);
        var sealedSecret = SealFixtures.ReadSealed(allowed.StdOut);
        Assert.Equal("empty", sealedSecret.Metadata.Name);
        Assert.Empty(sealedSecret.EncryptedData);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Raw_from_file_in_cluster_wide_scope_needs_no_name_or_namespace()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("empty.bin"), []);

        var result = await new CliRunner { CurrentDirectory = dir.Path }.RunAsync("seal", "--raw", "--from-file", "empty.bin", "--scope", "cluster-wide", "--cert", SealFixtures.JsCert);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.True(SealFixtures.KeysFrom(File.ReadAllText(SealFixtures.JsKey)).TryUnseal(result.StdOutText, [], out var value));
        Assert.Empty(value);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Recovery_unseal_takes_a_pkcs8_key_and_a_json_list_of_key_secrets()
    {
        using var dir = new TempDirectory();
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(SealFixtures.JsKey));
        File.WriteAllText(dir.File("key.p8.pem"), rsa.ExportPkcs8PrivateKeyPem());
        var keySecret = SealFixtures.ReadOne(File.ReadAllBytes(SealFixtures.JsKeySecret)).ToJsonString();
        File.WriteAllText(dir.File("keys.json"), $"{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{keySecret}]}}");
        var cli = new CliRunner { CurrentDirectory = dir.Path };

        var pkcs8 = await cli.RunAsync("seal", "--recovery-unseal", "--recovery-private-key", "key.p8.pem", "-f", SealFixtures.JsSet("namespace-wide.yaml"));
        var list = await cli.RunAsync("unseal", "-k", "keys.json", "-f", SealFixtures.JsSet("namespace-wide.yaml"), "-o", "yaml");

        Assert.True(pkcs8.ExitCode == 0, pkcs8.StdErr);
        Assert.Equal(Convert.ToBase64String("ns-wide-token"u8), (string?)SealFixtures.ReadOne(pkcs8.StdOut)["data"]!["token"]);
        Assert.True(list.ExitCode == 0, list.StdErr);
        Assert.Equal(Convert.ToBase64String("ns-wide-token"u8), (string?)SealFixtures.ReadOne(list.StdOut)["data"]!["token"]);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Several_sealed_secrets_unseal_concurrently_into_documents_in_input_order()
    {
        var sets = new[] { "cluster-wide.yaml", "strict.yaml", "namespace-wide.yaml", "strict.yaml", "cluster-wide.yaml" };
        var input = string.Join("\n---\n", sets.Select(set => File.ReadAllText(SealFixtures.JsSet(set))));

        var result = await new CliRunner().RunAsync(System.Text.Encoding.UTF8.GetBytes(input), "unseal", "-k", SealFixtures.JsKey, "-o", "yaml");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var names = Secrets.Sealing.Manifests.ManifestReader.ReadObjects(result.StdOut, "out").Select(o => (string?)o["metadata"]!["name"]).ToList();
        Assert.Equal(["portable", "db-credentials", "any-name-ok", "db-credentials", "portable"], names);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Among_several_sealed_secrets_the_first_failure_in_input_order_is_reported_and_nothing_printed()
    {
        var renamed = File.ReadAllText(SealFixtures.JsSet("strict.yaml")).Replace("name: db-credentials\n  namespace", "name: renamed\n  namespace", StringComparison.Ordinal);
        var input = string.Join("\n---\n", File.ReadAllText(SealFixtures.JsSet("cluster-wide.yaml")), renamed, File.ReadAllText(SealFixtures.JsSet("namespace-wide.yaml")).Replace("namespace: dev-ns", "namespace: moved", StringComparison.Ordinal));

        var result = await new CliRunner().RunAsync(System.Text.Encoding.UTF8.GetBytes(input), "unseal", "-k", SealFixtures.JsKey);

        Assert.Equal(128, result.ExitCode);
        Assert.StartsWith("error: no key could decrypt SealedSecret \"dev-ns/renamed\"", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }
}
