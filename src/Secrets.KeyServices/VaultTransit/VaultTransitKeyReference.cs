namespace Secrets.KeyServices.VaultTransit;

/// <summary>
/// A transit key as sops names it: <c>https://host:8200/v1/&lt;engine path&gt;/keys/&lt;name&gt;</c>, the engine path
/// possibly nested (sops.md §2.1, <c>hcvault/keysource.go</c> getBackendAndKeyFromPath).
/// </summary>
internal sealed record VaultTransitKeyReference(string Address, string EnginePath, string KeyName)
{
    public string Uri => $"{Address}/v1/{EnginePath}/keys/{KeyName}";

    public static VaultTransitKeyReference Parse(string text)
    {
        if (!System.Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw Invalid(text);
        }

        var dirs = uri.AbsolutePath.Trim('/').Split('/');

        // v1 / <engine …> / keys / <name>: at least one engine segment.
        if (dirs.Length < 4 || dirs[0] != "v1" || dirs[^2] != "keys" || dirs.Any(d => d.Length == 0))
        {
            throw Invalid(text);
        }

        return new VaultTransitKeyReference(uri.GetLeftPart(UriPartial.Authority), string.Join('/', dirs[1..^2]), dirs[^1]);
    }

    public static VaultTransitKeyReference FromFields(string address, string enginePath, string keyName) =>
        Parse($"{address.TrimEnd('/')}/v1/{enginePath.Trim('/')}/keys/{keyName}");

    private static Secrets.Core.SecretsException Invalid(string text) => KeyFields.InvalidKey(
        $"invalid Vault transit key URI \"{text}\"", "expected https://vault.example.com:8200/v1/<engine path>/keys/<name>");
}
