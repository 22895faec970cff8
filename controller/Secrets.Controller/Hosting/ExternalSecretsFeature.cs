using Secrets.Controller.ExternalSecrets;
using Secrets.Controller.Framework;
using Secrets.ExternalSecrets.Providers;
using Secrets.ExternalSecrets.Providers.AwsParameterStore;
using Secrets.ExternalSecrets.Providers.AzureKeyVault;
using Secrets.ExternalSecrets.Providers.Fake;
using Secrets.ExternalSecrets.Providers.Kubernetes;
using Secrets.ExternalSecrets.Providers.Vault;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.Controller.Hosting;

/// <summary>
/// Registers the ExternalSecrets controllers (eso-flux.md §1): ExternalSecret (with the managed target Secrets watched for
/// drift), SecretStore, ClusterSecretStore and ClusterExternalSecret, and the provider registry. Off by default
/// (<c>--enable-external-secrets</c>) because the informers fail on clusters without the external-secrets.io CRDs.
/// </summary>
public static class ExternalSecretsFeature
{
    public static void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<ISecretsProviderFactory, FakeProviderFactory>();
        services.AddSingleton<ISecretsProviderFactory, KubernetesProviderFactory>();
        services.AddSingleton<ISecretsProviderFactory, VaultProviderFactory>();
        services.AddSingleton<ISecretsProviderFactory, ParameterStoreProviderFactory>();
        services.AddSingleton<ISecretsProviderFactory, AzureKeyVaultProviderFactory>();
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton(provider => new StoreResolutionOptions { ControllerClass = provider.GetRequiredService<ControllerOptions>().ControllerClass });
        services.AddSingleton<ManagedSecrets>();
        services.AddSingleton<ExternalSecretMetrics>();
        services.AddSingleton<StoreReferences>();
        services.AddReconciler<V1ExternalSecret, ExternalSecretReconciler>("externalsecret", V1ExternalSecret.Api, WatchManagedSecrets);
        services.AddReconciler<V1SecretStore, SecretStoreReconciler>("secretstore", V1SecretStore.Api);
        services.AddReconciler<V1ClusterSecretStore, SecretStoreReconciler>("clustersecretstore", V1ClusterSecretStore.Api);
        services.AddReconciler<V1ClusterExternalSecret, ClusterExternalSecretReconciler>("clusterexternalsecret", V1ClusterExternalSecret.Api);
    }

    /// <summary>
    /// Drift self-heal: any edit or delete of a managed target Secret requeues its ExternalSecret, whose sync sees the data
    /// hash no longer matches and rewrites it. The controller's own writes requeue too; that pass finds nothing to write.
    /// </summary>
    private static void WatchManagedSecrets(IServiceProvider provider, ResourceController<V1ExternalSecret> controller)
    {
        controller.Watches(provider.GetRequiredService<ManagedSecrets>().Informer, ManagedSecrets.Owners);
        StoreReferences.Wire(provider, controller);
    }
}
