using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers.Vault;

/// <summary>
/// Obtains a Vault token from <c>spec.provider.vault.auth</c> (eso-flux.md §1.5): tokenSecretRef, appRole
/// (path approle, roleId or roleRef, secretRef) or kubernetes (mountPath kubernetes, role, secretRef key "token" or
/// serviceAccountRef via TokenRequest). Login tokens are revoked when the client closes (ESO default, §2.4).
/// </summary>
internal static class VaultAuthentication
{
    public sealed record Token(string Value, bool Revocable);

    public static async Task<Token> LoginAsync(HttpClient http, ManifestField auth, ProviderContext context, string? loginNamespace, CancellationToken cancellationToken)
    {
        if (auth["tokenSecretRef"].Exists)
        {
            return new Token(await context.ReadSecretRefStringAsync(auth["tokenSecretRef"], cancellationToken).ConfigureAwait(false), Revocable: false);
        }

        string mount;
        JsonObject body;
        if (auth["appRole"] is { Exists: true } appRole)
        {
            mount = appRole["path"].String is { Length: > 0 } p ? p : "approle";
            var roleId = appRole["roleId"].String is { Length: > 0 } id ? id : await context.ReadSecretRefStringAsync(appRole["roleRef"], cancellationToken).ConfigureAwait(false);
            var secretId = await context.ReadSecretRefStringAsync(appRole["secretRef"], cancellationToken).ConfigureAwait(false);
            body = new JsonObject { ["role_id"] = roleId, ["secret_id"] = secretId };
        }
        else if (auth["kubernetes"] is { Exists: true } kubernetes)
        {
            mount = kubernetes["mountPath"].String is { Length: > 0 } p ? p : "kubernetes";
            var jwt = kubernetes["secretRef"].Exists
                ? await context.ReadSecretRefStringAsync(kubernetes["secretRef"], cancellationToken, defaultKey: "token").ConfigureAwait(false)
                : kubernetes["serviceAccountRef"].Exists
                    ? await context.ServiceAccountTokenAsync(kubernetes["serviceAccountRef"], ["vault"], cancellationToken).ConfigureAwait(false)
                    : throw kubernetes.Invalid("needs secretRef or serviceAccountRef (the controller's own token is not used)");
            body = new JsonObject { ["role"] = kubernetes["role"].Required, ["jwt"] = jwt };
        }
        else
        {
            throw auth.Invalid("must configure tokenSecretRef, appRole or kubernetes (other Vault auth methods are not supported)");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/auth/{mount.Trim('/')}/login") { Content = JsonContent.Create(body, VaultJsonContext.Default.JsonObject) };
        if (loginNamespace is not null)
        {
            request.Headers.Add("X-Vault-Namespace", loginNamespace);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var json = await VaultClient.ReadJsonAsync(response, $"auth/{mount}/login", cancellationToken).ConfigureAwait(false);
        var token = json?["auth"]?["client_token"]?.GetValue<string>();
        return token is { Length: > 0 } ? new Token(token, Revocable: true) : throw new SyncException($"vault: login at auth/{mount} returned no client token");
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class VaultJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
