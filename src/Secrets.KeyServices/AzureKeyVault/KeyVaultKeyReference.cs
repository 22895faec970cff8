using System.Text.RegularExpressions;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>
/// A Key Vault key as sops names it: <c>https://&lt;vault&gt;/keys/&lt;name&gt;[/&lt;version&gt;]</c> (sops.md §2.1,
/// <c>azkv/keysource.go</c>). An empty version means "the current one", resolved before anything is written.
/// </summary>
internal sealed partial record KeyVaultKeyReference(string VaultUrl, string Name, string? Version)
{
    public string Url => Version is null ? $"{VaultUrl}/keys/{Name}" : $"{VaultUrl}/keys/{Name}/{Version}";

    public static KeyVaultKeyReference Parse(string text)
    {
        var match = UrlPattern().Match(text.Trim());
        return match.Success
            ? new KeyVaultKeyReference(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Success ? match.Groups[3].Value : null)
            : throw KeyFields.InvalidKey($"invalid Azure Key Vault key URL \"{text}\"", "expected https://<vault>.vault.azure.net/keys/<name>[/<version>]");
    }

    [GeneratedRegex("^(https://[^/]+)/keys/([^/]+)(?:/([^/]+))?/?$")]
    private static partial Regex UrlPattern();
}
