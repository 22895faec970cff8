using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Secrets.Controller.SealedSecrets.Keys;
using Secrets.Sealing;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// Restart without RSA (issue 6 item 6): every produced Secret carries the annotation
/// <c>secrets.gitops.dev/unsealed: v1;inputs=&lt;sha256&gt;;keys=&lt;fp,…&gt;;mac=&lt;fp&gt;:&lt;hmac&gt;</c>.
/// <c>inputs</c> hashes what the Secret was built from (uid, name, namespace, scope annotations, encryptedData, template);
/// <c>keys</c> is the key set that unsealed it; <c>mac</c> is an HMAC, under a key derived from one of those private keys,
/// over the stamp and the Secret's managed content. When the inputs are unchanged, every recorded key is still loaded and
/// the MAC verifies, the Secret is exactly what unsealing would write again, so the reconcile skips the RSA work.
/// Adding keys (renewal) keeps stamps valid; removing one of the recorded keys forces a real unseal.
/// The MAC is keyed so the annotation is no offline oracle for low-entropy values (tools such as Argo CD show
/// annotations of Secrets while masking their data).
/// </summary>
public static class UnsealStamp
{
    public const string Annotation = "secrets.gitops.dev/unsealed";
    private const string Version = "v1";

    /// <summary>SHA-256 (hex) over everything the unsealed Secret depends on besides the keys (kept by a compact cache entry).</summary>
    public static string Inputs(V1Alpha1SealedSecret resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.CachedInputs is { } cached)
        {
            return cached;
        }

        var metadata = resource.Metadata;
        var annotations = metadata.Annotations;
        var builder = new StringBuilder();
        foreach (var part in new[]
        {
            metadata.Uid, metadata.NamespaceProperty, metadata.Name,
            SealedSecretAnnotations.Get(annotations, ScopeAnnotations.ClusterWide), SealedSecretAnnotations.Get(annotations, ScopeAnnotations.NamespaceWide),
        })
        {
            builder.Append(part?.Length ?? -1).Append(':').Append(part).Append('|');
        }

        Canonical(resource.Spec?["encryptedData"], builder);
        builder.Append('|');
        Canonical(resource.Spec?["template"], builder);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>
    /// The stamp for <paramref name="secret"/> (its content as it will be written, without the stamp itself), or null when the
    /// MAC key is gone already (a key Secret deleted meanwhile: the next reconcile unseals again).
    /// </summary>
    public static string? Create(string inputs, IReadOnlyList<string> keyFingerprints, V1Secret secret, KeyRegistry keys)
    {
        ArgumentNullException.ThrowIfNull(keyFingerprints);
        ArgumentNullException.ThrowIfNull(keys);
        if (keyFingerprints.Count == 0)
        {
            return null;
        }

        var macKey = keyFingerprints[^1];
        var head = $"{Version};inputs={inputs};keys={string.Join(',', keyFingerprints)}";
        return keys.ContentMac(macKey, Signed(head, secret)) is { } mac ? $"{head};mac={macKey}:{Convert.ToHexStringLower(mac)}" : null;
    }

    /// <summary>True when <paramref name="secret"/> carries a valid stamp for these inputs and the keys it names are all still loaded.</summary>
    public static bool Verify(V1Secret secret, string inputs, KeyRegistry keys)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(keys);
        if (SealedSecretAnnotations.Get(secret.Metadata.Annotations, Annotation) is not { } stamp)
        {
            return false;
        }

        var macAt = stamp.LastIndexOf(";mac=", StringComparison.Ordinal);
        var head = macAt < 0 ? "" : stamp[..macAt];
        var parts = head.Split(';');
        if (parts is not [Version, var inputsPart, var keysPart] || inputsPart != "inputs=" + inputs || !keysPart.StartsWith("keys=", StringComparison.Ordinal))
        {
            return false;
        }

        var loaded = keys.Keys.Fingerprints;
        if (!keysPart["keys=".Length..].Split(',').All(f => loaded.Contains(f)))
        {
            return false;
        }

        var mac = stamp[(macAt + ";mac=".Length)..].Split(':');
        if (mac.Length != 2 || mac[1].Length != 64 || !mac[1].All(Uri.IsHexDigit))
        {
            return false;
        }

        return keys.ContentMac(mac[0], Signed(head, secret)) is { } expected
            && CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(mac[1]));
    }

    private static byte[] Signed(string head, V1Secret secret) => Encoding.UTF8.GetBytes(head + "|" + OwnedSecret.Hash(secret));

    /// <summary>JSON with object keys sorted, so a re-ordered but equal spec hashes the same.</summary>
    private static void Canonical(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case JsonObject obj:
                builder.Append('{');
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(JsonValue.Create(key).ToJsonString()).Append(':');
                    Canonical(value, builder);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                foreach (var item in array)
                {
                    Canonical(item, builder);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case null:
                builder.Append("null");
                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }
}
