using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Secrets.Sealing;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// The Secret a SealedSecret produces and the rules for writing it over an existing one (sealed-secrets.md §2.2, §2.4):
/// ownership, <c>managed</c>/<c>patch</c>, replace vs merge, and a content hash that skips writes when nothing changed.
/// </summary>
public static class OwnedSecret
{
    /// <summary>
    /// The desired Secret: template metadata, type, immutable, data; one controller ownerReference unless skipped; the
    /// <see cref="ProducedSecrets.Label"/> label that lets the controller cache only its own Secrets.
    /// </summary>
    public static V1Secret Desired(V1Alpha1SealedSecret owner, SecretManifest unsealed)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(unsealed);
        var annotations = unsealed.Metadata.Annotations;
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = owner.Metadata.Name,
                NamespaceProperty = owner.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(unsealed.Metadata.Labels) { [ProducedSecrets.Label] = ProducedSecrets.LabelValue },
                Annotations = annotations.Count == 0 ? null : new Dictionary<string, string>(annotations),
                Finalizers = unsealed.Metadata.Node["finalizers"]?.AsArray().Select(f => f!.GetValue<string>()).ToList(),
                OwnerReferences = SealedSecretAnnotations.IsSet(annotations, SealedSecretAnnotations.SkipSetOwnerReferences)
                    ? null
                    : [OwnerReference(owner)],
            },
            Type = unsealed.Type ?? "Opaque",
            Immutable = unsealed.Immutable,
            Data = unsealed.Data.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
        };
    }

    /// <summary>Exactly upstream's reference: controller true, no blockOwnerDeletion (§2.2).</summary>
    public static V1OwnerReference OwnerReference(V1Alpha1SealedSecret owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new V1OwnerReference { ApiVersion = Sealing.SealedSecret.ApiVersion, Kind = Sealing.SealedSecret.Kind, Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true };
    }

    /// <summary>True when the SealedSecret controls the Secret (controller ownerReference with its UID).</summary>
    public static bool IsControlledBy(V1Secret secret, V1Alpha1SealedSecret owner)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(owner);
        return secret.Metadata.OwnerReferences?.Any(r => r.Controller == true && r.Uid == owner.Metadata.Uid) == true;
    }

    /// <summary>May the controller write over this existing Secret? Only its own, or one annotated managed/patch (§2.4 step 3).</summary>
    public static bool MayWrite(V1Secret existing, V1Alpha1SealedSecret owner)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return IsControlledBy(existing, owner)
            || SealedSecretAnnotations.IsSet(existing.Metadata.Annotations, SealedSecretAnnotations.Managed)
            || SealedSecretAnnotations.IsSet(existing.Metadata.Annotations, SealedSecretAnnotations.Patch);
    }

    /// <summary>
    /// The existing Secret updated with the desired one: patch mode merges data, labels and annotations and replaces
    /// ownerReferences only when also managed; replace mode takes everything from the desired Secret (§2.4 steps 4–5).
    /// </summary>
    public static V1Secret Merge(V1Secret existing, V1Secret desired)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(desired);
        var annotations = existing.Metadata.Annotations;
        var merged = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = existing.Metadata.Name,
                NamespaceProperty = existing.Metadata.NamespaceProperty,
                ResourceVersion = existing.Metadata.ResourceVersion,
                Uid = existing.Metadata.Uid,
                Finalizers = existing.Metadata.Finalizers,
            },
            Type = desired.Type,
            Immutable = desired.Immutable,
        };
        if (SealedSecretAnnotations.IsSet(annotations, SealedSecretAnnotations.Patch))
        {
            merged.Data = Combine(existing.Data, desired.Data);
            merged.Metadata.Labels = Combine(existing.Metadata.Labels, desired.Metadata.Labels);
            merged.Metadata.Annotations = Combine(existing.Metadata.Annotations, desired.Metadata.Annotations);
            merged.Metadata.OwnerReferences = SealedSecretAnnotations.IsSet(annotations, SealedSecretAnnotations.Managed)
                ? desired.Metadata.OwnerReferences
                : existing.Metadata.OwnerReferences;
        }
        else
        {
            merged.Data = desired.Data;
            merged.Metadata.Labels = desired.Metadata.Labels;
            merged.Metadata.Annotations = desired.Metadata.Annotations;
            merged.Metadata.OwnerReferences = desired.Metadata.OwnerReferences;
            merged.Metadata.Finalizers = desired.Metadata.Finalizers ?? existing.Metadata.Finalizers;
        }

        return merged;
    }

    /// <summary>
    /// SHA-256 over what the controller manages (type, immutable, labels, annotations, owners, data): equal hashes mean no
    /// write. The <see cref="UnsealStamp"/> annotation is left out: the stamp signs this hash. A cached
    /// <see cref="HashedSecret"/> has no data left and answers the hash computed when it was cached.
    /// </summary>
    public static string Hash(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret is HashedSecret hashed)
        {
            return hashed.ContentHash;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string part)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        Add(secret.Type ?? "Opaque");
        Add(secret.Immutable == true ? "immutable" : "mutable");
        foreach (var map in new[] { secret.Metadata.Labels, secret.Metadata.Annotations })
        {
            Add("map");
            foreach (var (key, value) in (map ?? new Dictionary<string, string>()).Where(p => p.Key != UnsealStamp.Annotation).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Add(key);
                Add(value);
            }
        }

        foreach (var reference in secret.Metadata.OwnerReferences ?? [])
        {
            Add($"{reference.ApiVersion}|{reference.Kind}|{reference.Name}|{reference.Uid}|{reference.Controller}");
        }

        foreach (var (key, value) in (secret.Data ?? new Dictionary<string, byte[]>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add(key);
            hash.AppendData(BitConverter.GetBytes(value.Length));
            hash.AppendData(value);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Dictionary<string, TValue>? Combine<TValue>(IDictionary<string, TValue>? existing, IDictionary<string, TValue>? update)
    {
        if (existing is null && update is null)
        {
            return null;
        }

        var combined = new Dictionary<string, TValue>(existing ?? new Dictionary<string, TValue>(), StringComparer.Ordinal);
        foreach (var (key, value) in update ?? new Dictionary<string, TValue>())
        {
            combined[key] = value;
        }

        return combined;
    }
}
