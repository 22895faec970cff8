using k8s.Models;
using Secrets.Controller.Framework;
using Secrets.Controller.SopsSecrets;
using Secrets.Sops.Kubernetes;

namespace Secrets.Controller.Hosting;

/// <summary>
/// Registers the SopsSecret controller (docs/gitops.md): the reconciler and one Secret watch serving both drift
/// self-heal (Secrets it controls) and key changes (the controller's decryption Secret and any Secret a SopsSecret
/// names in <c>spec.decryption.secretRef</c>), so a key added later is picked up at once.
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
        bool IsGlobalKey(V1Secret s) => s.Metadata.NamespaceProperty == options.ControllerNamespace && s.Metadata.Name == options.SopsDecryptionSecret;
        IEnumerable<V1Alpha1SopsSecret> Referencing(V1Secret s) =>
            controller.Informer.Items.Where(ss => ss.Metadata.NamespaceProperty == s.Metadata.NamespaceProperty && ss.DecryptionSecretName == s.Metadata.Name);

        var secrets = new Informer<V1Secret>(
            ResourceApi.Secrets(provider.GetRequiredService<k8s.IKubernetes>()),
            provider.GetRequiredService<InformerOptions>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Secrets.Controller.Informer.sopssecret-secrets"),
            s => ControllerOf(s) is not null || IsGlobalKey(s) || Referencing(s).Any());
        controller.Watches(secrets, secret =>
        {
            if (ControllerOf(secret) is { } owner)
            {
                return reconciler.IsOwnWrite(secret) ? [] : [new ObjectKey(secret.Metadata.NamespaceProperty, owner.Name)];
            }

            return IsGlobalKey(secret) ? controller.Informer.Items.Select(ObjectKey.Of) : Referencing(secret).Select(ObjectKey.Of);
        });
    }

    private static V1OwnerReference? ControllerOf(V1Secret secret) =>
        secret.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true && r.Kind == SopsSecretDocument.Kind && r.ApiVersion.StartsWith(SopsSecretDocument.Group + "/", StringComparison.Ordinal));
}
