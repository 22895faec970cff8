namespace Secrets.ExternalSecrets.Api;

/// <summary>The external-secrets.io group and the versions accepted for reading (eso-flux.md §1.1).</summary>
public static class ApiGroup
{
    public const string Group = "external-secrets.io";

    public const string Version = "v1";

    public const string ApiVersion = Group + "/" + Version;

    /// <summary>v1beta1 is field-compatible with v1 (served until ESO v0.17); old manifests are accepted.</summary>
    public static bool IsAccepted(string? apiVersion) => apiVersion is null or ApiVersion or Group + "/v1beta1";

    internal static void CheckKind(ManifestField root, string kind)
    {
        var actualKind = root["kind"].String;
        if (actualKind is not null && actualKind != kind)
        {
            throw root["kind"].Invalid($"is \"{actualKind}\", expected {kind}");
        }

        var apiVersion = root["apiVersion"].String;
        if (!IsAccepted(apiVersion))
        {
            throw root["apiVersion"].Invalid($"is \"{apiVersion}\", expected {ApiVersion}");
        }
    }
}
