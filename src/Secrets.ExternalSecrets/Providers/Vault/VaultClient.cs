using System.Net;
using System.Text.Json.Nodes;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers.Vault;

/// <summary>A thin Vault HTTP API client (VaultSharp is not available): X-Vault-Token, X-Vault-Namespace, {"errors":[…]}.</summary>
internal sealed class VaultClient(HttpClient http, string token, string? ns)
{
    public HttpClient Http => http;

    /// <summary>GET (or LIST) a path; null on 404.</summary>
    public async Task<JsonObject?> ReadAsync(string path, CancellationToken cancellationToken, string method = "GET")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "v1/" + path);
        request.Headers.Add("X-Vault-Token", token);
        if (ns is not null)
        {
            request.Headers.Add("X-Vault-Namespace", ns);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadJsonAsync(response, path, cancellationToken).ConfigureAwait(false);
    }

    public async Task RevokeSelfAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/auth/token/revoke-self");
        request.Headers.Add("X-Vault-Token", token);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<JsonObject?> ReadJsonAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var errors = TryParse(text)?["errors"] is JsonArray list ? string.Join("; ", list.Select(e => e?.ToString())) : "";
            throw new SyncException($"vault: {path}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(errors.Length > 0 ? ": " + errors : "")}");
        }

        return TryParse(text);
    }

    private static JsonObject? TryParse(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
