using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.Controller.ExternalSecrets;

/// <summary>
/// The cache of target Secrets the ExternalSecret controller manages: listed and watched with the label ESO puts on every
/// target (<see cref="EsoMetadata.ManagedLabel"/>=true), so the controller never caches every Secret of the cluster.
/// A change maps to the ExternalSecret that controls the Secret, which then reverts drift (eso-flux.md §1.3). Only the
/// owner reference is read, so the cache keeps metadata only (the reconciler reads the target from the API server).
/// </summary>
public sealed class ManagedSecrets
{
    public const string Selector = EsoMetadata.ManagedLabel + "=true";

    public ManagedSecrets(k8s.IKubernetes client, InformerOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        Informer = new Informer<V1Secret>(
            ResourceApi.Secrets(client),
            options with { LabelSelector = Selector },
            loggers.CreateLogger("Secrets.Controller.Informer.externalsecret-targets"),
            secret => ControllerOf(secret) is not null,
            CacheCompaction.MetadataOnly);
    }

    public Informer<V1Secret> Informer { get; }

    /// <summary>The ExternalSecret that controls the Secret, as a queue key.</summary>
    public static IEnumerable<ObjectKey> Owners(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return ControllerOf(secret) is { } owner ? [new ObjectKey(secret.Metadata.NamespaceProperty, owner.Name)] : [];
    }

    private static V1OwnerReference? ControllerOf(V1Secret secret) =>
        secret.Metadata.OwnerReferences?.FirstOrDefault(r =>
            r.Controller == true && r.Kind == ExternalSecret.KindName && r.ApiVersion.StartsWith(ApiGroup.Group + "/", StringComparison.Ordinal));
}
