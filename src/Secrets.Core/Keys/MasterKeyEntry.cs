namespace Secrets.Core.Keys;

/// <summary>
/// One master key as the sops metadata stores it: one item of the <c>age</c>, <c>pgp</c>, <c>kms</c>,
/// <c>azure_kv</c>, <c>hc_vault</c> … lists (sops.md §2.1). The same shape describes a key named in
/// <c>.sops.yaml</c> key groups, where <c>enc</c> and <c>created_at</c> are absent.
/// </summary>
/// <param name="Type">The metadata key of the list the entry sits in: <c>age</c>, <c>pgp</c>, <c>kms</c>,
/// <c>gcp_kms</c>, <c>azure_kv</c>, <c>hc_vault</c> or <c>hckms</c>.</param>
/// <param name="Fields">The scalar fields by their metadata names (<c>recipient</c>, <c>enc</c>, <c>fp</c>,
/// <c>arn</c>, <c>created_at</c> …). Stores write them sorted bytewise (sops 3.13, sops.md §4.2).</param>
/// <param name="Context">The AWS KMS encryption context (<c>context</c> map); null for every other type.</param>
public sealed record MasterKeyEntry(
    string Type,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyDictionary<string, string>? Context = null)
{
    /// <summary>The wrapped data key (<c>enc</c>), or null when the entry only names a key.</summary>
    public string? Enc => Fields.TryGetValue("enc", out var enc) ? enc : null;

    /// <summary>A field's value, or null when it is absent.</summary>
    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value : null;
}
