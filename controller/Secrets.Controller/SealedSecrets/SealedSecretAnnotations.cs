namespace Secrets.Controller.SealedSecrets;

/// <summary>The behaviour annotations of sealed-secrets.md §2.3 (value must be exactly <c>"true"</c>).</summary>
public static class SealedSecretAnnotations
{
    public const string Managed = "sealedsecrets.bitnami.com/managed";
    public const string Patch = "sealedsecrets.bitnami.com/patch";
    public const string SkipSetOwnerReferences = "sealedsecrets.bitnami.com/skip-set-owner-references";

    public static string? Get(IDictionary<string, string>? annotations, string name) =>
        annotations is not null && annotations.TryGetValue(name, out var value) ? value : null;

    public static bool IsSet(IDictionary<string, string>? annotations, string name) =>
        annotations is not null && annotations.TryGetValue(name, out var value) && value == "true";
}
