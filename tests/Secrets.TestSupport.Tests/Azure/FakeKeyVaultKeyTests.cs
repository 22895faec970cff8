using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Secrets.TestSupport.Fakes.Azure;

namespace Secrets.TestSupport.Tests.Azure;

/// <summary>
/// The fake's keys API through a bare Azure.Core pipeline with BearerTokenAuthenticationPolicy (how the project's thin
/// client talks to it), with tokens from the fake's token endpoint via ClientSecretCredential.
/// </summary>
public sealed class FakeKeyVaultKeyTests
{
    private sealed class PipelineOptions : ClientOptions;

    private static HttpPipeline Pipeline(FakeKeyVault fake)
    {
        var options = new PipelineOptions { Transport = new HttpClientTransport(fake.CreateTrustingHandler()) };
        options.Retry.MaxRetries = 0;
        return HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(AzureClients.Credential(fake), FakeKeyVault.Resource + "/.default"));
    }

    private static async Task<(int Status, JsonObject Body)> SendAsync(HttpPipeline pipeline, RequestMethod method, Uri uri, JsonObject? body = null)
    {
        using var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(uri + (uri.Query.Length == 0 ? "?" : "&") + "api-version=7.4"));
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }

        await pipeline.SendAsync(message, CancellationToken.None);
        return (message.Response.Status, JsonNode.Parse(message.Response.Content.ToString())!.AsObject());
    }

    private static JsonObject Op(byte[] value, string alg = "RSA-OAEP-256") => new() { ["alg"] = alg, ["value"] = Base64Url.EncodeToString(value) };

    [Fact]
    public async Task Wrap_then_unwrap_round_trips_with_versioned_and_versionless_ids()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var key = fake.CreateKey("sops");
        var pipeline = Pipeline(fake);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var (status, wrapped) = await SendAsync(pipeline, RequestMethod.Post, new Uri(fake.KeyId(key) + "/wrapkey"), Op(dataKey));
        var (_, unwrapped) = await SendAsync(pipeline, RequestMethod.Post, new Uri(fake.VaultUri, "keys/sops/unwrapkey"),
            new JsonObject { ["alg"] = "RSA-OAEP-256", ["value"] = wrapped["value"]!.GetValue<string>() });

        Assert.Equal(200, status);
        Assert.Equal(fake.KeyId(key).ToString(), wrapped["kid"]!.GetValue<string>());
        Assert.DoesNotContain('=', wrapped["value"]!.GetValue<string>());
        Assert.Equal(dataKey, Base64Url.DecodeFromChars(unwrapped["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_public_key_from_get_key_wraps_what_unwrapkey_recovers()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var key = fake.CreateKey("local");
        var pipeline = Pipeline(fake);

        var (_, bundle) = await SendAsync(pipeline, RequestMethod.Get, new Uri(fake.VaultUri, "keys/local"));
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(bundle["key"]!["n"]!.GetValue<string>()),
            Exponent = Base64Url.DecodeFromChars(bundle["key"]!["e"]!.GetValue<string>()),
        });
        var wrapped = rsa.Encrypt("locally wrapped"u8, RSAEncryptionPadding.OaepSHA256);
        var (_, unwrapped) = await SendAsync(pipeline, RequestMethod.Post, new Uri(fake.KeyId(key) + "/unwrapkey"), Op(wrapped));

        Assert.Equal("RSA", bundle["key"]!["kty"]!.GetValue<string>());
        Assert.Equal("locally wrapped"u8.ToArray(), Base64Url.DecodeFromChars(unwrapped["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Rotation_adds_versions_and_old_versions_still_unwrap()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var key = fake.CreateKey("rotating");
        var first = key.LatestVersion;
        var pipeline = Pipeline(fake);
        var (_, wrapped) = await SendAsync(pipeline, RequestMethod.Post, new Uri(fake.KeyId(key, first) + "/wrapkey"), Op([1, 2, 3]));
        fake.CreateKey("rotating");

        var (_, versions) = await SendAsync(pipeline, RequestMethod.Get, new Uri(fake.VaultUri, "keys/rotating/versions"));
        var (_, latest) = await SendAsync(pipeline, RequestMethod.Get, new Uri(fake.VaultUri, "keys/rotating"));
        var (oldStatus, unwrapped) = await SendAsync(pipeline, RequestMethod.Post, new Uri(fake.KeyId(key, first) + "/unwrapkey"), Op(Base64Url.DecodeFromChars(wrapped["value"]!.GetValue<string>())));
        var (newStatus, error) = await SendAsync(pipeline, RequestMethod.Post, new Uri(fake.VaultUri, "keys/rotating/unwrapkey"), Op(Base64Url.DecodeFromChars(wrapped["value"]!.GetValue<string>())));

        Assert.Equal(2, versions["value"]!.AsArray().Count);
        Assert.Equal(fake.KeyId(key).ToString(), latest["key"]!["kid"]!.GetValue<string>());
        Assert.Equal(200, oldStatus);
        Assert.Equal([1, 2, 3], Base64Url.DecodeFromChars(unwrapped["value"]!.GetValue<string>()));
        Assert.Equal((400, "BadParameter"), (newStatus, error["error"]!["code"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("missing", 404, "KeyNotFound")]
    [InlineData("disabled", 403, "Forbidden")]
    [InlineData("denied", 403, "Forbidden")]
    [InlineData("bad-alg", 400, "BadParameter")]
    public async Task Errors_carry_the_service_codes(string scenario, int status, string code)
    {
        await using var fake = await FakeKeyVault.StartAsync();
        var key = fake.CreateKey("k");
        if (scenario == "disabled")
        {
            fake.SetKeyEnabled(key, false);
        }
        else if (scenario == "denied")
        {
            fake.SetKeyAccessDenied(key, true);
        }

        var uri = new Uri(fake.VaultUri, scenario == "missing" ? "keys/nope/wrapkey" : "keys/k/wrapkey");
        var (actual, body) = await SendAsync(Pipeline(fake), RequestMethod.Post, uri, Op([1], scenario == "bad-alg" ? "A256KW" : "RSA-OAEP-256"));

        Assert.Equal((status, code), (actual, body["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_request_without_token_gets_the_bearer_challenge()
    {
        await using var fake = await FakeKeyVault.StartAsync();
        using var http = new HttpClient(fake.CreateTrustingHandler());

        using var response = await http.GetAsync(new Uri(fake.VaultUri, "keys/x?api-version=7.4"));

        Assert.Equal(401, (int)response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains($"authorization=\"https://login.microsoftonline.com/{fake.TenantId}\"", challenge, StringComparison.Ordinal);
        Assert.Contains("resource=\"https://vault.azure.net\"", challenge, StringComparison.Ordinal);
    }
}
