using Azure;
using Azure.Identity;
using Secrets.Core;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>Turns Azure failures into a <see cref="KeyProviderException"/> naming the key and the reason, never a value.</summary>
internal static class KeyVaultFailure
{
    public const string Provider = "Azure Key Vault";

    public static bool IsServiceFailure(Exception error) =>
        error is AggregateException or RequestFailedException or AuthenticationFailedException or CredentialUnavailableException or HttpRequestException or InvalidOperationException or IOException;

    public static KeyProviderException From(string keyId, string operation, Exception error) => error switch
    {
        // Azure.Core's retry policy gathers the attempts' transport failures; the last one says why.
        AggregateException { InnerExceptions: [.., var last] } => From(keyId, operation, last),
        RequestFailedException { Status: 403 } e => new KeyProviderException(Provider, keyId, $"{operation} denied (403 {e.ErrorCode}): {FirstLine(e.Message)}", e)
        { Hints = ["grant the identity the keys wrapKey/unwrapKey/get permissions (or the Key Vault Crypto User role)"] },
        RequestFailedException { Status: 429 } e => new KeyProviderException(Provider, keyId, $"{operation} throttled (429 {e.ErrorCode}) after the SDK's retries", e)
        { Hints = ["retry later"] },
        RequestFailedException { Status: 404 } e => new KeyProviderException(Provider, keyId, $"{operation} failed: the key or version does not exist (404 {e.ErrorCode})", e),
        RequestFailedException { Status: 400 } e when operation == "unwrap" => new KeyProviderException(Provider, keyId,
            $"unwrap refused (400 {e.ErrorCode}): the data key was wrapped by another key or version", e),
        RequestFailedException { Status: 401 } e => new KeyProviderException(Provider, keyId, $"{operation} unauthorized (401): the token was not accepted", e),
        RequestFailedException { Status: 0 } e when ConnectionFailure.IsRefused(e) => Unreachable(keyId, operation, e),
        RequestFailedException { Status: 0 } e => new KeyProviderException(Provider, keyId, $"{operation} failed: {FirstLine((e.InnerException ?? e).Message)}", e)
        { Hints = ["check the vault URL, network access, and that the vault's TLS certificate is trusted (a private CA: SSL_CERT_FILE or SSL_CERT_DIR)"] },
        RequestFailedException e => new KeyProviderException(Provider, keyId, $"{operation} failed ({e.Status} {e.ErrorCode})", e),
        AuthenticationFailedException or CredentialUnavailableException => new KeyProviderException(Provider, keyId, $"{operation} failed: no Azure identity could get a token: {FirstLine(error.Message)}", error)
        { Hints = ["set AZURE_TENANT_ID/AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or a federated token, or log in with az"] },
        _ when ConnectionFailure.IsRefused(error) => Unreachable(keyId, operation, error),
        _ => new KeyProviderException(Provider, keyId, $"{operation} failed: {FirstLine(error.Message)}", error),
    };

    private static KeyProviderException Unreachable(string keyId, string operation, Exception error) =>
        new(Provider, keyId, $"{operation} failed: cannot reach the vault (connection refused)", error) { Hints = ["check the vault URL and network access"] };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
