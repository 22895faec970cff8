using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Secrets.Core;

namespace Secrets.KeyServices.VaultTransit;

/// <summary>
/// Transit <c>encrypt</c>/<c>decrypt</c> over HttpClient (VaultSharp is not available; test-infra.md §5):
/// <c>POST {address}/v1/{engine}/encrypt/{key} {"plaintext": base64}</c> → <c>data.ciphertext</c> (<c>vault:vN:…</c>),
/// <c>POST …/decrypt/{key} {"ciphertext"}</c> → <c>data.plaintext</c>. Errors <c>{"errors":[…]}</c> become
/// <see cref="KeyProviderException"/>s; 429 and 5xx are retried a few times.
/// </summary>
internal sealed class VaultTransitClient(HttpClient http, VaultTransitOptions options)
{
    public const string Provider = "Vault transit";

    public async Task<string> EncryptAsync(VaultTransitKeyReference key, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(key, "encrypt", "plaintext", Convert.ToBase64String(plaintext.Span), cancellationToken);
        return response.RootElement.GetProperty("data").GetProperty("ciphertext").GetString() ?? throw Malformed(key, "encrypt");
    }

    public async Task<byte[]> DecryptAsync(VaultTransitKeyReference key, string ciphertext, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(key, "decrypt", "ciphertext", ciphertext, cancellationToken);
        return Convert.FromBase64String(response.RootElement.GetProperty("data").GetProperty("plaintext").GetString() ?? throw Malformed(key, "decrypt"));
    }

    private async Task<JsonDocument> PostAsync(VaultTransitKeyReference key, string operation, string field, string value, CancellationToken cancellationToken)
    {
        var token = options.ResolveToken()
            ?? throw new KeyProviderException(Provider, key.Uri, $"{operation} failed: no Vault token") { Hints = ["set VAULT_TOKEN or log in with vault login (~/.vault-token)"] };
        var body = Json(field, value);
        var uri = new Uri($"{key.Address}/v1/{key.EnginePath}/{operation}/{Uri.EscapeDataString(key.KeyName)}");
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Vault-Token", token);
            if (options.ResolveNamespace() is { } ns)
            {
                request.Headers.Add("X-Vault-Namespace", ns);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new KeyProviderException(Provider, key.Uri, ConnectionFailure.IsRefused(e)
                    ? $"{operation} failed: cannot reach Vault at {key.Address} (connection refused)"
                    : $"{operation} failed: {e.Message}", e)
                { Hints = ["check the key's address and network access"] };
            }

            using (response)
            {
                var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return JsonDocument.Parse(content);
                }

                if ((status == 429 || status >= 500) && attempt < options.MaxRetries)
                {
                    await Task.Delay(RetryDelay(response, attempt), options.TimeProvider, cancellationToken);
                    continue;
                }

                throw Failure(key, operation, response.StatusCode, FirstError(content), attempt);
            }
        }
    }

    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var backoff = options.RetryDelay * Math.Pow(2, attempt);
        var after = response.Headers.RetryAfter?.Delta;
        return after is { } requested && requested < TimeSpan.FromSeconds(10) ? requested : backoff;
    }

    private static KeyProviderException Failure(VaultTransitKeyReference key, string operation, HttpStatusCode status, string? error, int retries)
    {
        var code = (int)status;
        var reason = error is null ? "" : $": {error}";
        return code switch
        {
            403 => new KeyProviderException(Provider, key.Uri, $"{operation} denied (403){reason}")
            { Hints = [$"the token needs update on {key.EnginePath}/{operation}/{key.KeyName}; check VAULT_TOKEN and VAULT_NAMESPACE"] },
            429 => new KeyProviderException(Provider, key.Uri, $"{operation} throttled (429) after {retries} retries{reason}") { Hints = ["retry later"] },
            400 when operation == "decrypt" => new KeyProviderException(Provider, key.Uri, $"decrypt refused (400){reason}: the data key was encrypted by another key or is corrupt"),
            503 => new KeyProviderException(Provider, key.Uri, $"{operation} failed (503){reason}") { Hints = ["Vault may be sealed or in standby"] },
            _ => new KeyProviderException(Provider, key.Uri, $"{operation} failed ({code}){reason}"),
        };
    }

    /// <summary>The first message of <c>{"errors":[…]}</c>; Vault errors name paths and causes, not values.</summary>
    private static string? FirstError(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                ? errors[0].GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Json(string field, string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(field, value);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static KeyProviderException Malformed(VaultTransitKeyReference key, string operation) =>
        new(Provider, key.Uri, $"{operation} failed: Vault answered without data");
}
