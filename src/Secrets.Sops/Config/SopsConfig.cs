using System.Text.RegularExpressions;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Secrets.Sops.Config;

/// <summary>
/// <c>.sops.yaml</c> (sops.md §7): creation rules matched against the file path relative to the config's folder, and
/// per-store settings. Read with YamlDotNet's representation model (no reflection).
/// </summary>
public sealed class SopsConfig
{
    public const string FileName = ".sops.yaml";

    private static readonly string[] FlatKeyTypes = ["age", "pgp", "kms", "gcp_kms", "hckms", "azure_keyvault", "hc_vault_transit_uri"];

    public required string Directory { get; init; }

    public List<CreationRule> CreationRules { get; init; } = [];

    public int YamlIndent { get; init; }

    public int? JsonIndent { get; init; }

    /// <summary><paramref name="explicitPath"/>, else the first <c>.sops.yaml</c> from <paramref name="startDirectory"/> upwards.</summary>
    public static string? Find(string startDirectory, string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return File.Exists(explicitPath)
                ? explicitPath
                : throw new SecretsOperationException(ErrorKind.InputNotFound, $"config file \"{explicitPath}\" does not exist");
        }

        var directory = new DirectoryInfo(startDirectory);
        for (var level = 0; directory is not null && level < 100; level++, directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static SopsConfig Load(string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException ex)
        {
            throw new SecretsOperationException(ErrorKind.Usage, $"invalid {path}: {ex.Message}", ex);
        }

        var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode as YamlMappingNode : null;
        var rules = new List<CreationRule>();
        if (Child(root, "creation_rules") is YamlSequenceNode sequence)
        {
            rules.AddRange(sequence.Children.OfType<YamlMappingNode>().Select(ReadRule));
        }

        var stores = Child(root, "stores") as YamlMappingNode;
        return new SopsConfig
        {
            Directory = Path.GetDirectoryName(Path.GetFullPath(path))!,
            CreationRules = rules,
            YamlIndent = Scalar(Child(Child(stores, "yaml"), "indent")) is { } y ? int.Parse(y, System.Globalization.CultureInfo.InvariantCulture) : 0,
            JsonIndent = Scalar(Child(Child(stores, "json"), "indent")) is { } j ? int.Parse(j, System.Globalization.CultureInfo.InvariantCulture) : null,
        };
    }

    /// <summary>The first rule whose path_regex matches the path relative to the config folder (sops.md §7).</summary>
    public CreationRule? Match(string filePath)
    {
        var full = Path.GetFullPath(filePath);
        var relative = Path.GetRelativePath(Directory, full);
        var path = relative.StartsWith("..", StringComparison.Ordinal) ? full : relative.Replace('\\', '/');
        return CreationRules.FirstOrDefault(rule => rule.PathRegex is null || Regex.IsMatch(path, rule.PathRegex, RegexOptions.CultureInvariant));
    }

    private static CreationRule ReadRule(YamlMappingNode node)
    {
        var groups = new List<List<KeyReference>>();
        if (Child(node, "key_groups") is YamlSequenceNode keyGroups && keyGroups.Children.Count > 0)
        {
            groups.AddRange(keyGroups.Children.OfType<YamlMappingNode>().Select(ReadGroup));
        }
        else
        {
            var flat = new List<KeyReference>();
            foreach (var type in FlatKeyTypes)
            {
                var metadataType = MetadataType(type);
                flat.AddRange(List(Child(node, type)).Select(text => new KeyReference(metadataType, text)));
            }

            if (flat.Count > 0)
            {
                groups.Add(flat);
            }
        }

        return new CreationRule
        {
            PathRegex = Scalar(Child(node, "path_regex")),
            KeyGroups = groups,
            ShamirThreshold = Scalar(Child(node, "shamir_threshold")) is { } t ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : 0,
            AwsProfile = Scalar(Child(node, "aws_profile")),
            Rules = new EncryptionRules
            {
                UnencryptedSuffix = Scalar(Child(node, "unencrypted_suffix")),
                EncryptedSuffix = Scalar(Child(node, "encrypted_suffix")),
                UnencryptedRegex = Scalar(Child(node, "unencrypted_regex")),
                EncryptedRegex = Scalar(Child(node, "encrypted_regex")),
                UnencryptedCommentRegex = Scalar(Child(node, "unencrypted_comment_regex")),
                EncryptedCommentRegex = Scalar(Child(node, "encrypted_comment_regex")),
                MacOnlyEncrypted = Scalar(Child(node, "mac_only_encrypted")) is "true" or "True" or "TRUE",
            },
        };
    }

    private static List<KeyReference> ReadGroup(YamlMappingNode node)
    {
        var group = new List<KeyReference>();
        foreach (var (keyNode, value) in node.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (key == "merge")
            {
                foreach (var nested in (value as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
                {
                    group.AddRange(ReadGroup(nested).Where(k => !group.Contains(k)));
                }

                continue;
            }

            var type = MetadataType(key);
            foreach (var item in value is YamlSequenceNode items ? items.Children : [value])
            {
                group.Add(item is YamlMappingNode map ? new KeyReference(type, null, Entry(type, map)) : new KeyReference(type, Scalar(item)));
            }
        }

        return group;
    }

    /// <summary>A key given field by field (kms with role/context, azure_keyvault with vaultUrl/key/version …).</summary>
    private static MasterKeyEntry Entry(string type, YamlMappingNode map)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? context = null;
        foreach (var (k, v) in map.Children)
        {
            var name = ((YamlScalarNode)k).Value ?? "";
            if (v is YamlMappingNode nested)
            {
                context = nested.Children.ToDictionary(c => Scalar(c.Key) ?? "", c => Scalar(c.Value) ?? "", StringComparer.Ordinal);
                continue;
            }

            fields[name switch { "vaultUrl" => "vault_url", "key" => "name", _ => name }] = Scalar(v) ?? "";
        }

        return new MasterKeyEntry(type, fields, context);
    }

    private static string MetadataType(string configKey) => configKey switch
    {
        "azure_keyvault" => "azure_kv",
        "hc_vault_transit_uri" or "hc_vault" => "hc_vault",
        _ => configKey,
    };

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode? node) => node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    /// <summary>A CSV string or a YAML list.</summary>
    private static IEnumerable<string> List(YamlNode? node) => node switch
    {
        YamlScalarNode { Value: { } text } => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        YamlSequenceNode sequence => sequence.Children.Select(Scalar).OfType<string>(),
        _ => [],
    };
}
