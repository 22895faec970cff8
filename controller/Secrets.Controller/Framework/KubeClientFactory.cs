using k8s;
using Secrets.ExternalSecrets.Providers.Kubernetes;

namespace Secrets.Controller.Framework;

/// <summary>
/// Builds the client: an explicit kubeconfig (flag or KUBECONFIG) wins, then in-cluster service-account config, then the
/// default kubeconfig (test-infra.md §2 pitfall 11: tests always pass a kubeconfig for the fake).
/// </summary>
public static class KubeClientFactory
{
    public static IKubernetes Create(string? kubeconfig)
    {
        KubernetesClientConfiguration config;
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            config = FromFile(kubeconfig);
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            config = KubernetesClientConfiguration.InClusterConfig();
        }
        else
        {
            // KubernetesClient's BuildDefaultConfig without its reflection-based YAML (KubeConfigLoader): the first KUBECONFIG
            // entry (no merging of several files), else ~/.kube/config.
            var paths = Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            config = FromFile(paths is { Length: > 0 } ? paths[0] : KubernetesClientConfiguration.KubeConfigDefaultLocation);
        }

        return new Kubernetes(config);
    }

    private static KubernetesClientConfiguration FromFile(string path) =>
        KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeConfigLoader.Load(path));
}
