using System.Text.Json.Nodes;
using Secrets.TestSupport;

namespace Secrets.Sealing.Tests;

/// <summary>Paths and loaders for ../shared/vectors/sealed-secrets (read in place, never copied).</summary>
internal static class Vectors
{
    public const string Folder = "sealed-secrets";

    public static string Path(params string[] parts) => RepoPaths.Vector([Folder, .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

    public static JsonObject Expected(string set) => (JsonObject)JsonNode.Parse(Text(set, "expected.json"))!;

    public static SealedSecret ReadSealedSecret(params string[] parts) =>
        SealedSecret.FromDocument(Manifests.ManifestReader.ReadObjects(Text(parts), parts[^1]).Single(), parts[^1]);

    public static UnsealingKeySet Keys(params string[] parts)
    {
        var keys = new UnsealingKeySet();
        keys.Add(Text(parts), parts[^1]);
        return keys;
    }

    public static UnsealingKeySet JsKeys() => Keys("js-kubeseal-encrypt", "sealing-key.pem");

    public static SealingKey JsCertificate() =>
        SealingKey.FromPem(Text("js-kubeseal-encrypt", "sealing-cert.pem"), DateTimeOffset.UtcNow, "sealing-cert.pem");
}
