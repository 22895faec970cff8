using System.Text;
using System.Text.Json.Nodes;
using Secrets.Age;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes;

namespace Secrets.Cli.Tests.Render;

/// <summary><c>secrets render</c>, <c>sopssecret</c> and <c>krm</c> (docs/gitops.md) against Flux's own fixtures and our output.</summary>
public sealed class RenderCommandTests
{
    private static string Flux(params string[] parts) => RepoPaths.Vector(["eso", "flux-sops", .. parts]);

    private static CliRunner FluxRunner() => new()
    {
        CurrentDirectory = Flux(),
        Environment = { ["SOPS_AGE_KEY_FILE"] = Flux("keys", "age.txt"), ["HOME"] = "/nonexistent" },
    };

    private static List<JsonObject> Documents(string yaml) => [.. YamlJson.ParseAll(yaml).Select(d => d.AsObject())];

    private static string Data(JsonObject secret, string key) =>
        secret["stringData"]?[key]?.GetValue<string>() ?? Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]![key]!.GetValue<string>()));

    [VectorFact("eso")]
    public async Task Flux_fixtures_render_to_their_expected_plaintext()
    {
        var result = await FluxRunner().RunAsync("render", "algorithms", "inside", "patches");

        Assert.Equal(0, result.ExitCode);
        var documents = Documents(result.StdOutText);
        Assert.Equal(["value", "value", "merge1", "merge2"], documents.Select(d => Data(d, d["stringData"]?["merge2"] is null ? "key" : "merge2")).ToArray());
        Assert.All(documents, d => Assert.Null(d["sops"]));
    }

    [VectorFact("eso")]
    public async Task Fixtures_changed_by_a_name_prefix_still_render_because_the_MAC_is_not_required()
    {
        var prefixed = (await File.ReadAllTextAsync(Flux("algorithms", "age.yaml"))).Replace("name: age", "name: sops-algo-age", StringComparison.Ordinal);

        var result = await FluxRunner().RunAsync(Encoding.UTF8.GetBytes(prefixed), "render", "-");
        var strict = await FluxRunner().RunAsync(Encoding.UTF8.GetBytes(prefixed), "render", "--verify-mac", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("value", Data(Assert.Single(Documents(result.StdOutText)), "key"));
        Assert.Equal(51, strict.ExitCode);
        Assert.Empty(strict.StdOut);
    }

    [VectorFact("eso")]
    public async Task Missing_key_gives_empty_stdout_and_exit_128_naming_the_recipient()
    {
        var runner = FluxRunner();
        runner.Environment.Remove("SOPS_AGE_KEY_FILE");

        var result = await runner.RunAsync("render", ".");

        Assert.Equal(128, result.ExitCode);
        Assert.Empty(result.StdOut);
        Assert.Contains("age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sopssecret_output_renders_back_to_the_Secret_and_keeps_working_after_a_name_prefix()
    {
        using var temp = new TempDirectory();
        var identity = X25519Identity.Generate();
        await File.WriteAllTextAsync(temp.File("keys.txt"), identity + "\n");
        var runner = new CliRunner { CurrentDirectory = temp.Path, Environment = { ["SOPS_AGE_KEY_FILE"] = temp.File("keys.txt"), ["HOME"] = "/nonexistent" } };
        var secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: apps\n  labels: {app: db}\nstringData:\n  password: hunter2\ndata:\n  user: YXBw\n";

        var encrypted = await runner.RunAsync(Encoding.UTF8.GetBytes(secret), "sopssecret", "--age", identity.Recipient.ToString());
        Assert.Equal(0, encrypted.ExitCode);
        Assert.DoesNotContain("hunter2", encrypted.StdOutText, StringComparison.Ordinal);
        Assert.Contains("mac_only_encrypted: true", encrypted.StdOutText, StringComparison.Ordinal);
        var prefixed = encrypted.StdOutText.Replace("name: db", "name: prod-db", StringComparison.Ordinal);

        var rendered = await runner.RunAsync(Encoding.UTF8.GetBytes(prefixed), "render", "-");

        Assert.Equal(0, rendered.ExitCode);
        var output = Assert.Single(Documents(rendered.StdOutText));
        Assert.Equal(("Secret", "prod-db", "apps"), (output["kind"]!.GetValue<string>(), output["metadata"]!["name"]!.GetValue<string>(), output["metadata"]!["namespace"]!.GetValue<string>()));
        Assert.Equal("hunter2", Data(output, "password"));
        Assert.Equal("app", Data(output, "user"));
        Assert.Equal("db", output["metadata"]!["labels"]!["app"]!.GetValue<string>());
    }

    [VectorFact("eso")]
    public async Task Krm_function_generates_ksops_files_and_drops_the_local_config_generator()
    {
        var generator = new JsonObject
        {
            ["apiVersion"] = "viaduct.ai/v1",
            ["kind"] = "ksops",
            ["metadata"] = new JsonObject { ["name"] = "gen", ["annotations"] = new JsonObject { ["config.kubernetes.io/local-config"] = "true" } },
            ["files"] = new JsonArray("./patches/merge1.yaml"),
        };
        var list = new JsonObject
        {
            ["apiVersion"] = "config.kubernetes.io/v1",
            ["kind"] = "ResourceList",
            ["functionConfig"] = generator.DeepClone(),
            ["items"] = new JsonArray(generator.DeepClone(), new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "keep" } }),
        };

        var result = await FluxRunner().RunAsync(Encoding.UTF8.GetBytes(list.ToJsonString()), "krm");

        Assert.Equal(0, result.ExitCode);
        var output = Assert.Single(Documents(result.StdOutText));
        var items = output["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(["ConfigMap", "Secret"], items.Select(i => i["kind"]!.GetValue<string>()).ToArray());
        Assert.Equal("merge1", Data(items[1], "key"));
    }

    [VectorFact("eso")]
    public async Task Krm_function_failure_reports_results_and_a_non_zero_exit()
    {
        var list = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n  apiVersion: viaduct.ai/v1\n  kind: ksops\n  metadata: {name: gen}\n  files: [./missing.yaml]\nitems: []\n";

        var result = await FluxRunner().RunAsync(Encoding.UTF8.GetBytes(list), "krm");

        Assert.Equal(100, result.ExitCode);
        var output = Assert.Single(Documents(result.StdOutText));
        Assert.Contains("missing.yaml", output["results"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Kubectl_kustomize_runs_the_exec_function_with_a_ksops_generator()
    {
        if (RepoPaths.SharedVectors is null || OperatingSystem.IsWindows())
        {
            return; // no Flux fixtures (the protocol tests above skip with the reason) or no exec bit
        }

        // kubectl's embedded kustomize (e.g. v5.5.0 in kubectl 1.32) has no --enable-exec and silently skips exec
        // functions; the function protocol is then covered by the tests above (the brief's fallback).
        var help = await Tools.RunAsync("kubectl", ["kustomize", "--help"]);
        if (!help.StdOutText.Contains("--enable-exec", StringComparison.Ordinal))
        {
            return;
        }

        using var temp = new TempDirectory();
        File.Copy(Flux("patches", "merge1.yaml"), temp.File("secret.enc.yaml"));
        var cli = typeof(Secrets.Cli.Cli).Assembly.Location;
        await File.WriteAllTextAsync(temp.File("secrets-krm"), $"#!/bin/sh\nexec dotnet \"{cli}\" krm \"$@\"\n");
        File.SetUnixFileMode(temp.File("secrets-krm"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(temp.File("generator.yaml"), "apiVersion: viaduct.ai/v1\nkind: ksops\nmetadata:\n  name: gen\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./secrets-krm\nfiles:\n  - ./secret.enc.yaml\n");
        await File.WriteAllTextAsync(temp.File("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: prod-\ngenerators:\n  - generator.yaml\n");

        var result = await Tools.RunAsync("kubectl", ["kustomize", "--enable-alpha-plugins", "--enable-exec", temp.Path], environment: new Dictionary<string, string?> { ["SOPS_AGE_KEY_FILE"] = Flux("keys", "age.txt") });

        Assert.True(result.ExitCode == 0, result.StdErr);
        var secret = Assert.Single(Documents(result.StdOutText));
        Assert.Equal("prod-secret", secret["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("merge1", Data(secret, "key"));
    }
}
