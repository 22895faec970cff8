using System.Text;
using System.Text.Json.Nodes;

namespace Secrets.Sops.Kubernetes;

/// <summary>
/// Flux kustomize-controller's rules for finding sops data in Kubernetes objects (eso-flux.md §3.3 step 2, §3.5): a
/// whole document with a non-empty <c>sops.mac</c>, and Secret <c>data</c> values whose bytes carry a format's marker.
/// </summary>
public static class SopsDetection
{
    /// <summary>Flux's opt-out annotation (value <c>Disabled</c>, any case).</summary>
    public const string DecryptAnnotation = "kustomize.toolkit.fluxcd.io/decrypt";

    // sopsFormatToMarkerBytes: the bytes a sops encryptor writes next to the MAC in each format (sops.md §9).
    private static readonly (string Format, byte[] Marker)[] Markers =
    [
        ("yaml", "mac: ENC["u8.ToArray()),
        ("json", "\"mac\": \"ENC["u8.ToArray()),
        ("dotenv", "sops_mac=ENC["u8.ToArray()),
        ("ini", "[sops]"u8.ToArray()),
    ];

    /// <summary>True when the top-level <c>sops</c> map has a non-empty <c>mac</c> (isSOPSEncryptedResource).</summary>
    public static bool IsEncryptedDocument(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document["sops"] is JsonObject { Count: > 0 } sops && sops["mac"] is JsonValue mac && mac.TryGetValue<string>(out var text) && text.Length > 0;
    }

    /// <summary>True when the object opted out with <c>kustomize.toolkit.fluxcd.io/decrypt: Disabled</c>.</summary>
    public static bool IsDecryptionDisabled(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document["metadata"]?["annotations"]?[DecryptAnnotation] is JsonValue value
            && value.TryGetValue<string>(out var text) && string.Equals(text, "Disabled", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The apply guard of §3.3 step 4: a core Secret that still has a top-level <c>sops</c> field.</summary>
    public static bool IsUndecryptedSecret(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Text(document["apiVersion"]) == "v1" && Text(document["kind"]) == "Secret" && document.ContainsKey("sops") && !IsDecryptionDisabled(document);
    }

    /// <summary>The sops input format whose marker the bytes contain (JSON also covers the binary store), or null.</summary>
    public static string? MarkerFormat(ReadOnlySpan<byte> content)
    {
        foreach (var (format, marker) in Markers)
        {
            if (content.IndexOf(marker) >= 0)
            {
                return format;
            }
        }

        return null;
    }

    /// <summary>
    /// The output format for a decrypted Secret value from its data key's extension (Flux: <c>.yaml/.yml</c>, <c>.json</c>,
    /// <c>.env</c>, <c>.ini</c>, else binary; <c>.dockerconfigjson</c> is JSON).
    /// </summary>
    public static string OutputFormatForKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.EndsWith(".dockerconfigjson", StringComparison.Ordinal) ? "json" : Stores.StoreFactory.FormatForPath(key);
    }

    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
