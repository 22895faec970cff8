using System.Text;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>
/// A kubeconfig for this fake (server URL, CA data, token), so tests load configuration exactly as production does with
/// <c>--kubeconfig</c>/<c>KUBECONFIG</c> (test-infra.md §2 pitfall 11).
/// </summary>
public sealed partial class FakeKubeApiServer
{
    /// <summary>The kubeconfig YAML text; context and cluster are named <c>fake</c>.</summary>
    public string KubeconfigYaml(string defaultNamespace = "default")
    {
        var text = new StringBuilder()
            .Append("apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n")
            .Append("    server: ").Append(BaseAddress.GetLeftPart(UriPartial.Authority)).Append('\n');
        if (CertificateAuthority is not null)
        {
            text.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.ASCII.GetBytes(CertificateAuthority.CertificatePem))).Append('\n');
        }

        text.Append("users:\n- name: fake\n  user:\n");
        // KubernetesClient refuses a user without credentials, so an open fake still gets a (never checked) token.
        text.Append("    token: ").Append(BearerToken ?? "anonymous").Append('\n');
        text.Append("contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\n    namespace: ").Append(defaultNamespace).Append('\n');
        text.Append("current-context: fake\n");
        return text.ToString();
    }

    /// <summary>Writes <see cref="KubeconfigYaml"/> to <paramref name="path"/> (mode 0600) and returns the path.</summary>
    public string WriteKubeconfig(string path, string defaultNamespace = "default")
    {
        File.WriteAllText(path, KubeconfigYaml(defaultNamespace));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
