using k8s;
using k8s.Models;
using Secrets.Controller.Framework;

namespace Secrets.Controller.SealedSecrets;

/// <summary>
/// The cache of Secrets the SealedSecret controller produced (issue 6 item 10): listed and watched with the label
/// selector <see cref="Selector"/> that every produced Secret carries, so the controller never caches every Secret of the
/// cluster. Feeds drift self-heal and the restart check of <see cref="UnsealStamp"/>. The sharding selector
/// (<c>--label-selector</c>) applies to SealedSecrets only: a template need not copy the SealedSecret's labels.
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
            IsRelevant);
    }

    public Informer<V1Secret> Informer { get; }

    /// <summary>The SealedSecret that controls the Secret, if any.</summary>
    public static V1OwnerReference? ControllerOf(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Metadata.OwnerReferences?.FirstOrDefault(r =>
            r.Controller == true && r.Kind == Sealing.SealedSecret.Kind && r.ApiVersion.StartsWith("bitnami.com/", StringComparison.Ordinal));
    }

    /// <summary>Controlled by a SealedSecret, or an adopted <c>managed</c>/<c>patch</c> Secret (§2.4).</summary>
    private static bool IsRelevant(V1Secret secret) =>
        ControllerOf(secret) is not null
        || SealedSecretAnnotations.IsSet(secret.Metadata.Annotations, SealedSecretAnnotations.Managed)
        || SealedSecretAnnotations.IsSet(secret.Metadata.Annotations, SealedSecretAnnotations.Patch);
}
