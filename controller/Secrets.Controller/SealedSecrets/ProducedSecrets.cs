using k8s;
using k8s.Models;
using Secrets.Controller.Framework;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// The cache of Secrets the SealedSecret controller produced (issue 6 item 10): listed and watched with the label
/// selector <see cref="Selector"/> that every produced Secret carries, so the controller never caches every Secret of the
/// cluster. Feeds drift self-heal and the restart check of <see cref="UnsealStamp"/>. The sharding selector
/// (<c>--label-selector</c>) applies to SealedSecrets only: a template need not copy the SealedSecret's labels.
/// The cache holds <see cref="HashedSecret"/>s: metadata and the hash of the managed content, never the unsealed data.
/// </summary>
public sealed class ProducedSecrets
{
    public const string Label = "secrets.gitops.dev/produced-by";
    public const string LabelValue = "sealedsecret";
    public const string Selector = Label + "=" + LabelValue;

    public ProducedSecrets(IKubernetes client, InformerOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        Informer = new Informer<V1Secret>(
            ResourceApi.Secrets(client),
            options with { LabelSelector = Selector },
            loggers.CreateLogger("Secrets.Controller.Informer.produced-secrets"),
            IsRelevant,
            Compact);
    }

    public Informer<V1Secret> Informer { get; }

    /// <summary>The SealedSecret that controls the Secret, if any.</summary>
    public static V1OwnerReference? ControllerOf(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Metadata.OwnerReferences?.FirstOrDefault(r =>
            r.Controller == true && r.Kind == Sealing.SealedSecret.Kind && r.ApiVersion.StartsWith("bitnami.com/", StringComparison.Ordinal));
    }

    /// <summary>
    /// What the cache keeps of a produced Secret: its metadata (without managedFields), type and immutable, and the
    /// <see cref="OwnedSecret.Hash"/> of its content, which is all <see cref="UnsealStamp.Verify"/> and the ownership rules
    /// read. The hash is computed here from the data as received, so no annotation a user sets can stand in for it.
    /// </summary>
    internal static V1Secret Compact(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var hash = OwnedSecret.Hash(secret);
        var metadata = CacheCompaction.MetadataOnly(secret, readOnlyMaps: true).Metadata;
        return new HashedSecret { ApiVersion = secret.ApiVersion, Kind = secret.Kind, Metadata = metadata, Type = secret.Type, Immutable = secret.Immutable, ContentHash = hash };
    }

    /// <summary>Controlled by a SealedSecret, or an adopted <c>managed</c>/<c>patch</c> Secret (§2.4).</summary>
    private static bool IsRelevant(V1Secret secret) =>
        ControllerOf(secret) is not null
        || SealedSecretAnnotations.IsSet(secret.Metadata.Annotations, SealedSecretAnnotations.Managed)
        || SealedSecretAnnotations.IsSet(secret.Metadata.Annotations, SealedSecretAnnotations.Patch);
}

/// <summary>A produced Secret as <see cref="ProducedSecrets"/> caches it: no data, the hash of its managed content instead.</summary>
public sealed record HashedSecret : V1Secret
{
    /// <summary><see cref="OwnedSecret.Hash"/> of the Secret as it was received.</summary>
    public required string ContentHash { get; init; }
}
