using System.Runtime.CompilerServices;
using k8s.KubeConfigModels;
using Secrets.Core;
using YamlDotNet.RepresentationModel;

namespace Secrets.ExternalSecrets.Providers.Kubernetes;

/// <summary>
/// Reads a kubeconfig file into KubernetesClient's <see cref="K8SConfiguration"/> from YamlDotNet's representation model.
/// KubernetesClient's own loader deserializes by reflection, which the Native AOT controller cannot do (docs/controller.md
/// "Native AOT"); used for the controller's own kubeconfig and the kubernetes provider's <c>authRef</c>. The fields are
/// kubeconfig's (clusters, users, contexts, current-context; exec plugins only under the JIT; not the legacy auth-provider)
/// as kubectl reads them. Relative file paths resolve against the file's directory, as KubernetesClient's loader does.
/// </summary>
public static class KubeConfigLoader
{
    public static K8SConfiguration Load(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var config = Parse(reader, path);
            config.FileName = Path.GetFullPath(path);
            return config;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidFileException($"cannot read kubeconfig {path}: {e.Message}", e);
        }
    }

    /// <param name="reader">The kubeconfig YAML.</param>
    /// <param name="source">Names the kubeconfig in an error.</param>
    public static K8SConfiguration Parse(TextReader reader, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidFileException($"kubeconfig {source} is not valid YAML: {e.Message}", e);
        }

        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
        return new K8SConfiguration
        {
            CurrentContext = Text(root, "current-context"),
            Clusters = [.. Named(root, "clusters", "cluster", (name, cluster) => new Cluster
            {
                Name = name,
                ClusterEndpoint = new ClusterEndpoint
                {
                    Server = Text(cluster, "server"),
                    CertificateAuthority = Text(cluster, "certificate-authority"),
                    CertificateAuthorityData = Text(cluster, "certificate-authority-data"),
                    SkipTlsVerify = Text(cluster, "insecure-skip-tls-verify") is "true",
                    TlsServerName = Text(cluster, "tls-server-name"),
                },
            })],
            Users = [.. Named(root, "users", "user", (name, user) => new User
            {
                Name = name,
                UserCredentials = new UserCredentials
                {
                    ClientCertificate = Text(user, "client-certificate"),
                    ClientCertificateData = Text(user, "client-certificate-data"),
                    ClientKey = Text(user, "client-key"),
                    ClientKeyData = Text(user, "client-key-data"),
                    Token = Text(user, "token"),
                    UserName = Text(user, "username"),
                    Password = Text(user, "password"),
                    ExternalExecution = Node(user, "exec") is YamlMappingNode exec ? Exec(exec) : null,
                },
            })],
            Contexts = [.. Named(root, "contexts", "context", (name, context) => new Context
            {
                Name = name,
                ContextDetails = new ContextDetails
                {
                    Cluster = Text(context, "cluster"),
                    User = Text(context, "user"),
                    Namespace = Text(context, "namespace"),
                },
            })],
        };
    }

    private static ExternalExecution Exec(YamlMappingNode exec)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // KubernetesClient serializes KUBERNETES_EXEC_INFO for the plugin with reflection-based JSON, which a Native AOT
            // process does not have: say so instead of failing inside the client.
            throw new InvalidFileException("kubeconfig exec credential plugins are not supported by the Native AOT build; use a token, a client certificate or the in-cluster service account");
        }

        return new ExternalExecution
        {
            ApiVersion = Text(exec, "apiVersion"),
            Command = Text(exec, "command"),
            Arguments = Node(exec, "args") is YamlSequenceNode args ? [.. args.OfType<YamlScalarNode>().Select(a => a.Value ?? "")] : null,
            EnvironmentVariables = Node(exec, "env") is YamlSequenceNode env
                ? [.. env.OfType<YamlMappingNode>().Select(e => new Dictionary<string, string> { ["name"] = Text(e, "name") ?? "", ["value"] = Text(e, "value") ?? "" })]
                : null,
        };
    }

    /// <summary>A kubeconfig list of <c>{name, &lt;field&gt;: {...}}</c> entries.</summary>
    private static IEnumerable<T> Named<T>(YamlMappingNode? root, string list, string field, Func<string, YamlMappingNode?, T> create) =>
        Node(root, list) is YamlSequenceNode entries
            ? entries.OfType<YamlMappingNode>().Select(entry => create(Text(entry, "name") ?? "", Node(entry, field) as YamlMappingNode))
            : [];

    private static YamlNode? Node(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Text(YamlMappingNode? map, string key) => (Node(map, key) as YamlScalarNode)?.Value;
}
