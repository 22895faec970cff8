using Secrets.Core;

namespace Secrets.Sealing;

/// <summary>Turns Secrets into SealedSecrets exactly as kubeseal does (§4.3 "input normalisation", §10 checklist).</summary>
public sealed class SecretSealer(SealingKey key)
{
    // Would leak plaintext into the template (kubeseal issue #227).
    private static readonly string[] LastAppliedAnnotations =
    [
        "kubectl.kubernetes.io/last-applied-configuration",
        "kubecfg.ksonnet.io/last-applied-configuration",
    ];

    private static readonly string[] ServerFields =
    [
        "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
    ];

    public SealedSecret Seal(SecretManifest secret, SealOptions options)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(options);
        var metadata = secret.Metadata.Clone();
        if (options.Name is { Length: > 0 } name)
        {
            metadata.Name = name;
        }

        var displayName = metadata.Name ?? "(unnamed)";
        if (metadata.Name is null)
        {
            throw new InvalidFileException("the input Secret has no metadata.name")
            {
                Hints = ["set metadata.name in the Secret or pass --name"],
            };
        }

        if (secret.Data.Count == 0 && !options.AllowEmptyData)
        {
            throw new InvalidFileException($"Secret \"{displayName}\" has no data or stringData")
            {
                Hints = ["pass --allow-empty-data to seal a Secret without values"],
            };
        }

        var annotations = metadata.Annotations;
        if (options.Scope is { } scope && scope != SealedSecretScope.Strict)
        {
            ScopeAnnotations.Apply(annotations, scope);
        }

        foreach (var annotation in LastAppliedAnnotations)
        {
            annotations.Remove(annotation);
        }

        metadata.Annotations = annotations;
        var effectiveScope = ScopeAnnotations.FromAnnotations(annotations);
        ResolveNamespace(metadata, effectiveScope, options);
        metadata.Remove(ServerFields);
        metadata.Remove("ownerReferences", "managedFields");

        var outerAnnotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        ScopeAnnotations.Apply(outerAnnotations, effectiveScope);
        var outer = new KubeMetadata { Name = metadata.Name, Namespace = metadata.Namespace, Annotations = outerAnnotations };
        var sealedSecret = new SealedSecret
        {
            Metadata = outer,
            Template = new SealedSecretTemplate { Metadata = metadata, Type = secret.Type, Immutable = secret.Immutable },
        };
        var label = sealedSecret.Label;
        var items = secret.Data.ToArray();
        var sealedValues = new string[items.Length];
        Parallel.For(0, items.Length, i => sealedValues[i] = Convert.ToBase64String(key.Encrypt(items[i].Value, label)));
        for (var i = 0; i < items.Length; i++)
        {
            sealedSecret.EncryptedData[items[i].Key] = sealedValues[i];
        }

        return sealedSecret;
    }

    /// <summary>
    /// <c>--merge-into</c>: seals <paramref name="secret"/> for <paramref name="target"/>'s name, namespace and scope
    /// and merges its items, template labels, annotations and data into <paramref name="target"/>.
    /// </summary>
    public void MergeInto(SealedSecret target, SecretManifest secret)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(secret);
        var renamed = new SecretManifest { Metadata = secret.Metadata.Clone(), Type = secret.Type, Immutable = secret.Immutable, Data = secret.Data };
        renamed.Metadata.Name = target.Metadata.Name;
        renamed.Metadata.Namespace = target.Metadata.Namespace;
        var sealedUpdate = Seal(renamed, new SealOptions { Scope = target.Scope, AllowEmptyData = true });
        foreach (var (item, value) in sealedUpdate.EncryptedData)
        {
            target.EncryptedData[item] = value;
        }

        var labels = target.Template.Metadata.Labels;
        foreach (var (k, v) in sealedUpdate.Template.Metadata.Labels)
        {
            labels[k] = v;
        }

        target.Template.Metadata.Labels = labels;
        var annotations = target.Template.Metadata.Annotations;
        foreach (var (k, v) in sealedUpdate.Template.Metadata.Annotations)
        {
            annotations[k] = v;
        }

        target.Template.Metadata.Annotations = annotations;
    }

    private static void ResolveNamespace(KubeMetadata metadata, SealedSecretScope scope, SealOptions options)
    {
        if (options.Namespace is { Length: > 0 } explicitNamespace)
        {
            if (metadata.Namespace is { } present && present != explicitNamespace)
            {
                throw new SecretsOperationException(ErrorKind.Usage, $"namespace mismatch: the Secret \"{metadata.Name}\" is in \"{present}\" but --namespace is \"{explicitNamespace}\"");
            }

            metadata.Namespace = explicitNamespace;
            return;
        }

        // Cluster-wide secrets are not defaulted (§4.3).
        if (metadata.Namespace is null && scope != SealedSecretScope.ClusterWide)
        {
            metadata.Namespace = options.DefaultNamespace is { Length: > 0 } fallback
                ? fallback
                : throw new InvalidFileException($"Secret \"{metadata.Name}\" has no namespace, which {scope.ToFlagValue()} scope binds")
                {
                    Hints = ["set metadata.namespace, pass --namespace NS, or use --scope cluster-wide"],
                };
        }
    }
}
