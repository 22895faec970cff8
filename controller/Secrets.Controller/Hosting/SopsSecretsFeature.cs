using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Controller.SopsSecrets;
using Secrets.Sops.Kubernetes;

namespace Secrets.Controller.Hosting;

/// <summary>
/// Registers the SopsSecret controller (docs/gitops.md) with two server-side selected Secret watches, never one of every
/// Secret of the cluster (issue 6 item 10: 30k unrelated Secrets must not be listed or cached): the Secrets it controls,
/// by the owner label they all carry (drift self-heal), and the controller's decryption Secret by name, so a global key
/// added later is picked up at once. A Secret a SopsSecret names in <c>spec.decryption.secretRef</c> is read live on every
/// reconcile; one that is missing or wrong fails the reconcile, whose retry backoff (1 s doubling) picks up the fix.
/// </summary>
public static class SopsSecretsFeature
{
    public static void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SopsSecretMetrics>();
        builder.Services.AddSingleton<SopsSecretStatus>();
        builder.Services.AddReconciler<V1Alpha1SopsSecret, SopsSecretReconciler>("sopssecret", V1Alpha1SopsSecret.Api, WatchSecrets);
    }

    private static void WatchSecrets(IServiceProvider provider, ResourceController<V1Alpha1SopsSecret> controller)
    {
        var reconciler = provider.GetRequiredService<SopsSecretReconciler>();
        var options = provider.GetRequiredService<ControllerOptions>();
        var client = provider.GetRequiredService<k8s.IKubernetes>();
        var informerOptions = provider.GetRequiredService<InformerOptions>();
        var loggers = provider.GetRequiredService<ILoggerFactory>();

        var owned = new Informer<V1Secret>(
            ResourceApi.Secrets(client),
            informerOptions with { LabelSelector = SopsSecretReconciler.OwnerLabel },
            loggers.CreateLogger("Secrets.Controller.Informer.sopssecret-owned"),
            s => ControllerOf(s) is not null,
            CacheCompaction.MetadataOnly);
        controller.Watches(owned, secret => reconciler.IsOwnWrite(secret) ? [] : [new ObjectKey(secret.Metadata.NamespaceProperty, ControllerOf(secret)!.Name)]);

        if (options.SopsDecryptionSecret is { Length: > 0 } global)
        {
            var key = new Informer<V1Secret>(
                ResourceApi.Secrets(client, "metadata.name=" + global),
                new InformerOptions { Namespaces = [options.ControllerNamespace], WatchTimeout = informerOptions.WatchTimeout },
                loggers.CreateLogger("Secrets.Controller.Informer.sopssecret-key"),
                compact: CacheCompaction.MetadataOnly);
            controller.Watches(key, _ => controller.Informer.Items.Select(ObjectKey.Of));
        }
    }

    private static V1OwnerReference? ControllerOf(V1Secret secret) =>
        secret.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true && r.Kind == SopsSecretDocument.Kind && r.ApiVersion.StartsWith(SopsSecretDocument.Group + "/", StringComparison.Ordinal));
}
