namespace Secrets.ExternalSecrets.Providers.Vault;

/// <summary>
/// ESO's buildPath / buildMetadataPath (providers/v1/vault/client_get.go, eso-flux.md §2.4): v2 + path "secret" + key
/// "foo" ⇒ secret/data/foo; key "secret/foo" ⇒ secret/data/foo; "secret/data/foo" unchanged; v2 without path inserts
/// "data" after the first segment unless the key contains "/data/"; v1 ⇒ path/key.
/// </summary>
internal static class VaultPaths
{
    public static string Data(string? mount, bool v2, string key) => Build(mount, v2, key, "data");

    public static string Metadata(string? mount, bool v2, string key) => Build(mount, v2, key, "metadata");

    private static string Build(string? mount, bool v2, string key, string segment)
    {
        var path = key;
        if (mount is not null)
        {
            var cut = mount + "/";
            if (path.StartsWith(cut, StringComparison.Ordinal))
            {
                path = path[cut.Length..];
                if (v2 && path.StartsWith("data/", StringComparison.Ordinal))
                {
                    path = path["data/".Length..];
                }
            }

            return v2 ? $"{mount}/{segment}/{path}" : $"{mount}/{path}";
        }

        if (v2 && !path.Contains("/data/", StringComparison.Ordinal))
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? $"{path}/{segment}" : $"{path[..slash]}/{segment}/{path[(slash + 1)..]}";
        }

        return v2 && segment == "metadata" ? ReplaceFirst(path, "/data/", "/metadata/") : path;
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var index = text.IndexOf(old, StringComparison.Ordinal);
        return index < 0 ? text : text[..index] + replacement + text[(index + old.Length)..];
    }
}
