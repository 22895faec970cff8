using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>
/// The three Key Vault key operations sops needs, on a bare Azure.Core pipeline (Azure.Security.KeyVault.Keys is not
/// available; test-infra.md §4): read the current version, <c>wrapkey</c> and <c>unwrapkey</c> with RSA-OAEP-256,
/// values as base64url without padding. Small on purpose so it can be swapped for the Keys SDK later.
/// </summary>
internal sealed class KeyVaultKeyClient
{
    private const string ApiVersion = "7.5";
    private const string Algorithm = "RSA-OAEP-256";

    private readonly Uri _vault;
    private readonly HttpPipeline _pipeline;

    public KeyVaultKeyClient(Uri vault, AzureKeyVaultOptions options, TokenCredential credential)
    {
        _vault = vault;
        var clientOptions = new PipelineOptions();
        if (options.Transport is not null)
        {
            clientOptions.Transport = options.Transport;
        }

        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        _pipeline = HttpPipelineBuilder.Build(clientOptions, new KeyVaultChallengePolicy(credential, !options.DisableChallengeResourceVerification));
    }

    /// <summary>The current version of a key (the last segment of its <c>kid</c>).</summary>
    public async Task<string> CurrentVersionAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(RequestMethod.Get, $"keys/{Uri.EscapeDataString(name)}", null, cancellationToken);
        var kid = response.RootElement.GetProperty("key").GetProperty("kid").GetString() ?? "";
        return kid[(kid.LastIndexOf('/') + 1)..];
    }

    public Task<byte[]> WrapAsync(string name, string? version, ReadOnlyMemory<byte> value, CancellationToken cancellationToken) =>
        OperateAsync("wrapkey", name, version, value, cancellationToken);

    public Task<byte[]> UnwrapAsync(string name, string? version, ReadOnlyMemory<byte> value, CancellationToken cancellationToken) =>
        OperateAsync("unwrapkey", name, version, value, cancellationToken);

    private async Task<byte[]> OperateAsync(string operation, string name, string? version, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("alg", Algorithm);
            json.WriteString("value", Base64Url.EncodeToString(value.Span));
            json.WriteEndObject();
        }

        var path = version is null ? $"keys/{Uri.EscapeDataString(name)}/{operation}" : $"keys/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(version)}/{operation}";
        using var response = await SendAsync(RequestMethod.Post, path, buffer.WrittenMemory, cancellationToken);
        return Base64Url.DecodeFromChars(response.RootElement.GetProperty("value").GetString());
    }

    private async Task<JsonDocument> SendAsync(RequestMethod method, string path, ReadOnlyMemory<byte>? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        var uri = new RequestUriBuilder();
        uri.Reset(new Uri(_vault, path));
        uri.AppendQuery("api-version", ApiVersion);
        message.Request.Uri = uri;
        message.Request.Headers.Add("Accept", "application/json");
        if (body is { } content)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(content);
        }

        await _pipeline.SendAsync(message, cancellationToken);
        if (message.Response.IsError)
        {
            throw new RequestFailedException(message.Response);
        }

        return JsonDocument.Parse(message.Response.Content.ToMemory());
    }

    private sealed class PipelineOptions : ClientOptions;
}
