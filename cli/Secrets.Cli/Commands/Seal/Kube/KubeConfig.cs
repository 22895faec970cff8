using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.Cli.Commands.Seal.Kube;

/// <summary>
/// The part of a kubeconfig needed to reach the API server (AOT-clean: read through the manifest reader, no
/// reflection): the current context's server, CA, client certificate/key, token and namespace. Paths inside the
/// file are relative to the file, as kubectl resolves them.
/// </summary>
internal sealed class KubeConfig
{
    public required string Source { get; init; }

    public required string ContextName { get; init; }

    public required string Server { get; init; }

    public string? Namespace { get; init; }

    public byte[]? CertificateAuthorityPem { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public byte[]? ClientCertificatePem { get; init; }

    public byte[]? ClientKeyPem { get; init; }

    public string? Token { get; init; }

    public override string ToString() => $"kubeconfig \"{Source}\" context \"{ContextName}\" ({Server}; credentials redacted)";

    /// <summary>
    /// The kubeconfig files in the order kubectl reads them: <c>--kubeconfig</c>, else every path in KUBECONFIG,
    /// else ~/.kube/config. Only existing files are returned.
    /// </summary>
    public static List<string> Locate(CliContext context, string? explicitPath)
    {
        if (explicitPath is { Length: > 0 })
        {
            return [context.ResolvePath(explicitPath)];
        }

        if (context.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } list)
        {
            return [.. list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(context.ResolvePath).Where(File.Exists)];
        }

        var home = context.GetEnvironmentVariable("HOME");
        var fallback = home is null ? null : Path.Combine(home, ".kube", "config");
        return fallback is not null && File.Exists(fallback) ? [fallback] : [];
    }

    /// <summary>Loads the context (the current one unless <paramref name="contextName"/>); null when there is no kubeconfig.</summary>
    public static KubeConfig? TryLoad(CliContext context, string? explicitPath, string? contextName)
    {
        var files = Locate(context, explicitPath);
        if (files.Count == 0)
        {
            if (explicitPath is { Length: > 0 })
            {
                throw new SecretsOperationException(ErrorKind.InputNotFound, $"kubeconfig \"{explicitPath}\" does not exist");
            }

            return null;
        }

        // kubectl merges the files: the first file to define a name (or current-context) wins.
        var documents = files.Select(f => (File: f, Root: ReadRoot(f))).ToList();
        var current = contextName ?? documents.Select(d => Nodes.GetString(d.Root["current-context"])).FirstOrDefault(c => c is { Length: > 0 })
            ?? throw Problem(files[0], "has no current-context", "pass --context NAME or run 'kubectl config use-context NAME'");
        var (contextFile, ctx) = Find(documents, "contexts", "context", current)
            ?? throw Problem(files[0], $"has no context \"{current}\"", "check 'kubectl config get-contexts'");
        var clusterName = Nodes.GetString(ctx["cluster"]) ?? throw Problem(contextFile, $"context \"{current}\" names no cluster", null);
        var (clusterFile, cluster) = Find(documents, "clusters", "cluster", clusterName)
            ?? throw Problem(contextFile, $"has no cluster \"{clusterName}\"", null);
        var userName = Nodes.GetString(ctx["user"]);
        var user = userName is null ? null : Find(documents, "users", "user", userName);
        var userFile = user?.File ?? contextFile;
        var userNode = user?.Node ?? [];
        return new KubeConfig
        {
            Source = contextFile,
            ContextName = current,
            Server = (Nodes.GetString(cluster["server"]) ?? throw Problem(clusterFile, $"cluster \"{clusterName}\" has no server", null)).TrimEnd('/'),
            Namespace = Nodes.GetString(ctx["namespace"]) is { Length: > 0 } ns ? ns : null,
            CertificateAuthorityPem = DataOrFile(cluster, "certificate-authority", clusterFile),
            InsecureSkipTlsVerify = Nodes.GetBool(cluster["insecure-skip-tls-verify"]) ?? false,
            ClientCertificatePem = DataOrFile(userNode, "client-certificate", userFile),
            ClientKeyPem = DataOrFile(userNode, "client-key", userFile),
            Token = Nodes.GetString(userNode["token"]) ?? ReadTokenFile(userNode, userFile),
        };
    }

    private static JsonObject ReadRoot(string file)
    {
        var objects = ManifestReader.ReadObjects(File.ReadAllBytes(file), file);
        return objects.Count == 1 ? objects[0] : throw Problem(file, "is not a kubeconfig", null);
    }

    private static (string File, JsonObject Node)? Find(List<(string File, JsonObject Root)> documents, string list, string field, string name)
    {
        foreach (var (file, root) in documents)
        {
            if (root[list] is not JsonArray entries)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (Nodes.GetString(entry?["name"]) == name && entry?[field] is JsonObject node)
                {
                    return (file, node);
                }
            }
        }

        return null;
    }

    private static byte[]? DataOrFile(JsonObject node, string field, string file)
    {
        if (Nodes.GetString(node[field + "-data"]) is { Length: > 0 } data)
        {
            try
            {
                return Convert.FromBase64String(data);
            }
            catch (FormatException e)
            {
                throw new SecretsOperationException(ErrorKind.InvalidKey, $"kubeconfig \"{file}\": {field}-data is not valid base64", e);
            }
        }

        if (Nodes.GetString(node[field]) is { Length: > 0 } path)
        {
            var full = Path.GetFullPath(path, Path.GetDirectoryName(file) ?? ".");
            return File.Exists(full)
                ? File.ReadAllBytes(full)
                : throw new SecretsOperationException(ErrorKind.InputNotFound, $"kubeconfig \"{file}\": {field} \"{path}\" does not exist");
        }

        return null;
    }

    private static string? ReadTokenFile(JsonObject user, string file)
    {
        if (Nodes.GetString(user["tokenFile"]) is not { Length: > 0 } path)
        {
            return null;
        }

        return File.ReadAllText(Path.GetFullPath(path, Path.GetDirectoryName(file) ?? ".")).Trim();
    }

    private static SecretsOperationException Problem(string file, string what, string? hint) =>
        new(ErrorKind.Usage, $"kubeconfig \"{file}\" {what}") { Hints = hint is null ? [] : [hint] };
}
