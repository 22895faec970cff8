using System.Text;
using System.Text.Json.Nodes;
using Secrets.Age;
using Secrets.Cli.Tests.KeyServices;
using Secrets.TestSupport;
using Secrets.TestSupport.Fakes;

namespace Secrets.Cli.Tests.Render;

/// <summary>
/// Argo CD cannot run here, so deploy/argocd/plugin.yaml is exercised the way the CMP sidecar runs it: its
/// <c>generate</c> and <c>discover</c> command lines exactly as written, in the application's directory, with the
/// environment Argo CD sets (ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, ARGOCD_ENV_*), the sidecar's SOPS_AGE_KEY_FILE and
/// the built CLI on PATH as <c>secrets</c>.
/// </summary>
public sealed class RenderArgoCdPluginTests
{
    private static JsonObject Plugin() =>
        YamlJson.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "argocd", "plugin.yaml")))!.AsObject();

    /// <summary>Runs spec.{step}.command (+ args) like the sidecar: argv as written, no shell of our own.</summary>
    private static Task<ProcessResult> RunStepAsync(JsonNode step, TempDirectory app, string keyFile)
    {
        var argv = step["command"]!.AsArray().Select(a => a!.GetValue<string>())
            .Concat(step["args"]?.AsArray().Select(a => a!.GetValue<string>()) ?? []).ToArray();
        var environment = CliProcess.Environment(app.Path);
        environment["PATH"] = CliProcess.Directory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        environment["ARGOCD_APP_NAME"] = "web";
        environment["ARGOCD_APP_NAMESPACE"] = "apps";
        environment["ARGOCD_APP_REVISION"] = "0123456789abcdef";
        environment["ARGOCD_ENV_OVERLAY"] = "prod";
        environment["SOPS_AGE_KEY_FILE"] = keyFile;
        return Tools.RunAsync(argv[0], argv[1..], workingDirectory: app.Path, environment: environment, timeout: TimeSpan.FromMinutes(2));
    }

    private static async Task<(TempDirectory App, TempDirectory Keys)> ApplicationAsync()
    {
        var app = new TempDirectory();
        var keys = new TempDirectory();
        var identity = X25519Identity.Generate();
        await File.WriteAllTextAsync(keys.File("keys.txt"), identity + "\n");
        var runner = new CliRunner { CurrentDirectory = app.Path, Environment = { ["HOME"] = keys.Path } };
        var secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: apps\nstringData:\n  password: hunter2\n";
        var sopsSecret = await runner.RunAsync(Encoding.UTF8.GetBytes(secret), "sopssecret", "--age", identity.Recipient.ToString(), "-o", app.File("db.sopssecret.yaml"));
        Assert.True(sopsSecret.ExitCode == 0, sopsSecret.StdErr);
        await File.WriteAllTextAsync(app.File("api.yaml"), secret.Replace("name: db", "name: api", StringComparison.Ordinal).Replace("hunter2", "t0ken", StringComparison.Ordinal));
        var encrypted = await runner.RunAsync("encrypt", "--age", identity.Recipient.ToString(), "--encrypted-regex", "^(data|stringData)$", "-i", app.File("api.yaml"));
        Assert.True(encrypted.ExitCode == 0, encrypted.StdErr);
        await File.WriteAllTextAsync(app.File("config.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  mode: prod\n");
        return (app, keys);
    }

    [Fact]
    public async Task Generate_command_renders_a_plain_directory_to_plain_manifests()
    {
        var (app, keys) = await ApplicationAsync();
        using var _ = app;
        using var __ = keys;

        var result = await RunStepAsync(Plugin()["spec"]!["generate"]!, app, keys.File("keys.txt"));

        Assert.True(result.ExitCode == 0, result.StdErr);
        var documents = YamlJson.ParseAll(result.StdOutText).Select(d => d.AsObject()).ToList();
        var byName = documents.ToDictionary(d => $"{d["kind"]}/{d["metadata"]!["name"]}");
        Assert.Equal(["ConfigMap/web", "Secret/api", "Secret/db"], byName.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("hunter2", Value(byName["Secret/db"], "password"));
        Assert.Equal("t0ken", Value(byName["Secret/api"], "password"));
        Assert.DoesNotContain("sops", result.StdOutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_command_prints_nothing_and_fails_without_the_key_so_Argo_CD_never_prunes()
    {
        var (app, keys) = await ApplicationAsync();
        using var _ = app;
        using var __ = keys;
        await File.WriteAllTextAsync(keys.File("other.txt"), X25519Identity.Generate() + "\n");

        var result = await RunStepAsync(Plugin()["spec"]!["generate"]!, app, keys.File("other.txt"));

        Assert.Equal(128, result.ExitCode);
        Assert.Empty(result.StdOut);
        Assert.StartsWith("error:", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_command_finds_an_application_with_sops_files_and_not_a_plain_one()
    {
        var (app, keys) = await ApplicationAsync();
        using var _ = app;
        using var __ = keys;
        using var plain = new TempDirectory();
        await File.WriteAllTextAsync(plain.File("config.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n");
        var discover = Plugin()["spec"]!["discover"]!["find"]!;

        var found = await RunStepAsync(discover, app, keys.File("keys.txt"));
        var notFound = await RunStepAsync(discover, plain, keys.File("keys.txt"));

        Assert.Equal(0, found.ExitCode);
        Assert.NotEmpty(found.StdOutText.Trim());
        Assert.Equal("", notFound.StdOutText.Trim());
    }

    [ToolFact("kustomize")]
    public async Task Generate_command_builds_a_kustomize_directory_then_renders()
    {
        var (app, keys) = await ApplicationAsync();
        using var _ = app;
        using var __ = keys;
        await File.WriteAllTextAsync(app.File("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: prod-\nresources: [db.sopssecret.yaml, config.yaml]\n");

        var result = await RunStepAsync(Plugin()["spec"]!["generate"]!, app, keys.File("keys.txt"));

        Assert.True(result.ExitCode == 0, result.StdErr);
        var names = YamlJson.ParseAll(result.StdOutText).Select(d => $"{d!["kind"]}/{d["metadata"]!["name"]}").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["ConfigMap/prod-web", "Secret/prod-db"], names);
    }

    private static string Value(JsonObject secret, string key) =>
        secret["stringData"]?[key]?.GetValue<string>() ?? Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]![key]!.GetValue<string>()));
}
