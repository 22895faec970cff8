using k8s;
using Secrets.TestSupport.Fakes.Kubernetes;

namespace Secrets.TestSupport.Tests.Kubernetes;

/// <summary>A fake API server plus the real KubernetesClient built the way production builds it: from a kubeconfig file.</summary>
internal sealed class KubeSession : IAsyncDisposable
{
    private KubeSession(FakeKubeApiServer fake, IKubernetes client)
    {
        Fake = fake;
        Client = client;
    }

    public FakeKubeApiServer Fake { get; }

    public IKubernetes Client { get; }

    public static async Task<KubeSession> StartAsync(bool https = false, FakeKubeApiServerOptions? options = null)
    {
        options ??= new FakeKubeApiServerOptions();
        if (https)
        {
            options = options with { UseHttps = true, BearerToken = options.BearerToken ?? "test-token" };
        }

        var fake = await FakeKubeApiServer.StartAsync(options);
        using var temp = new TempDirectory();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(fake.WriteKubeconfig(temp.File("kubeconfig")));
        return new KubeSession(fake, new k8s.Kubernetes(config));
    }

    public void Deconstruct(out FakeKubeApiServer fake, out IKubernetes client) => (fake, client) = (Fake, Client);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Fake.DisposeAsync();
    }
}
