using k8s;

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
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            config = KubernetesClientConfiguration.InClusterConfig();
        }
        else
        {
            config = KubernetesClientConfiguration.BuildDefaultConfig();
        }

        return new Kubernetes(config);
    }
}
