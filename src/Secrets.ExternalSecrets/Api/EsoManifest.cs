using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.ExternalSecrets.Api;

/// <summary>Reads ESO objects from YAML or JSON text (YamlDotNet events → JsonNode; no reflection, AOT-safe).</summary>
public static class EsoManifest
{
    /// <summary>Every document of <paramref name="text"/> as its ESO model (ExternalSecret, SecretStore, ClusterSecretStore, ClusterExternalSecret).</summary>
    public static IReadOnlyList<object> ReadAll(string text, string source) =>
        [.. ManifestReader.ReadObjects(text, source).Select(Parse)];

    public static object Parse(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj["kind"]?.ToString() switch
        {
            ExternalSecret.KindName => ExternalSecret.Parse(obj),
            nameof(StoreKind.SecretStore) or nameof(StoreKind.ClusterSecretStore) => SecretStore.Parse(obj),
            ClusterExternalSecret.KindName => ClusterExternalSecret.Parse(obj),
            var kind => throw new InvalidFileException($"kind \"{kind}\" is not an external-secrets.io kind this controller reads"),
        };
    }

    /// <summary>The single object of a manifest, as <typeparamref name="T"/>.</summary>
    public static T ReadOne<T>(string text, string source) => ReadAll(text, source) switch
    {
        [T only] => only,
        var all => throw new InvalidFileException($"\"{source}\" must hold exactly one {typeof(T).Name}, found {all.Count} object(s)"),
    };
}
