using System.Text;
using Secrets.TestSupport;

namespace Secrets.Cli.Tests.Seal;

public class SealBadInputTests
{
    [VectorTheory(SealFixtures.Vectors)]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\n", "holds a ConfigMap, not a v1 Secret")]
    [InlineData("apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: y}\ndata: {k: '%%%'}\n", "data.\"k\" is not valid base64")]
    [InlineData("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {k: v}\n", "has no namespace, which strict scope binds")]
    [InlineData("apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\nstringData: {k: v}\n", "has no metadata.name")]
    [InlineData("apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: y}\n", "has no data or stringData")]
    [InlineData("kind: [Secret\n", "is not valid YAML or JSON")]
    [InlineData("", "holds no Kubernetes object")]
    public async Task Bad_secrets_are_invalid_input_with_exit_code_4(string input, string message)
    {
        var result = await new CliRunner().RunAsync(Encoding.UTF8.GetBytes(input), "seal", "--cert", SealFixtures.JsCert);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_pem_certificate_is_an_invalid_key_with_exit_code_5()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cert.pem"), "not a certificate");

        var result = await new CliRunner { CurrentDirectory = dir.Path }.RunAsync(SealFixtures.SecretYaml(), "seal", "--cert", "cert.pem");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("error: \"cert.pem\" is not a PEM certificate or public key", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_certificate_file_exits_100_and_writes_nothing()
    {
        using var dir = new TempDirectory();

        var result = await new CliRunner { CurrentDirectory = dir.Path }.RunAsync(SealFixtures.SecretYaml(), "seal", "--cert", "nope.pem", "-w", "out.yaml");

        Assert.Equal(100, result.ExitCode);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Without_cert_or_kubeconfig_the_error_says_how_to_seal_offline()
    {
        var result = await new CliRunner().RunAsync(SealFixtures.SecretYaml(), "seal");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("hint: pass --cert FILE to seal offline", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seal", "--raw", "--merge-into", "x.yaml")]
    [InlineData("seal", "--from-file", "x")]
    [InlineData("seal", "--recovery-unseal")]
    [InlineData("seal", "--scope", "galaxy-wide")]
    [InlineData("unseal")]
    public async Task Conflicting_or_incomplete_flags_are_usage_errors(params string[] args)
    {
        var result = await new CliRunner().RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Wrong_key_exits_128_naming_items_and_label_but_no_values()
    {
        var result = await new CliRunner().RunAsync("unseal", "-k", SealFixtures.GoKey, "-f", SealFixtures.JsSet("strict.yaml"));

        Assert.Equal(128, result.ExitCode);
        Assert.Contains("error: no key could decrypt SealedSecret \"dev-ns/db-credentials\" (items \"emoji.txt\", \"pass\", \"user\")", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("cannot decrypt with label \"dev-ns/db-credentials\" (strict scope)", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Renamed_strict_sealed_secret_fails_with_a_scope_hint()
    {
        var renamed = File.ReadAllText(SealFixtures.JsSet("strict.yaml")).Replace("name: db-credentials\n  namespace", "name: renamed\n  namespace", StringComparison.Ordinal);

        var result = await new CliRunner().RunAsync(Encoding.UTF8.GetBytes(renamed), "unseal", "-k", SealFixtures.JsKey);

        Assert.Equal(128, result.ExitCode);
        Assert.Contains("hint: strict scope binds namespace and name", result.StdErr, StringComparison.Ordinal);
    }

    [VectorTheory(SealFixtures.Vectors)]
    [InlineData("malformed", 4, "encryptedData.\"host\" is not valid base64")]
    [InlineData("truncated", 4, "encryptedData.\"host\": the sealed value is too short (truncated)")]
    [InlineData("altered", 51, "encryptedData.\"host\": the sealed value was altered or truncated")]
    public async Task Damaged_values_are_reported_per_item(string damage, int exitCode, string message)
    {
        var text = File.ReadAllText(SealFixtures.JsSet("cluster-wide.yaml"));
        var start = text.IndexOf("\"host\": ", StringComparison.Ordinal) + 8;
        var end = text.IndexOf('\n', start);
        var value = text[start..end];
        var blob = Convert.FromBase64String(value);
        var replacement = damage switch
        {
            "malformed" => "AgB!!" + value[5..],
            "truncated" => Convert.ToBase64String(blob.AsSpan(0, 300)),
            _ => Convert.ToBase64String(blob.AsSpan(0, blob.Length - 1)),
        };

        var result = await new CliRunner().RunAsync(Encoding.UTF8.GetBytes(text[..start] + replacement + text[end..]), "unseal", "-k", SealFixtures.JsKey);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task A_certificate_given_as_private_key_is_an_invalid_key()
    {
        var result = await new CliRunner().RunAsync("unseal", "-k", SealFixtures.JsCert, "-f", SealFixtures.JsSet("strict.yaml"));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("no RSA private key found in", result.StdErr, StringComparison.Ordinal);
    }

    [VectorFact(SealFixtures.Vectors)]
    public async Task Unsealing_a_plain_secret_is_invalid_input()
    {
        var result = await new CliRunner().RunAsync(SealFixtures.SecretYaml(), "unseal", "-k", SealFixtures.JsKey);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("holds a Secret, not a bitnami.com/v1alpha1 SealedSecret", result.StdErr, StringComparison.Ordinal);
    }
}
