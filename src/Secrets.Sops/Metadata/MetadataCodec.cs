using System.Globalization;
using Secrets.Core;
using Secrets.Core.Keys;
using Secrets.Sops.Rules;
using Secrets.Sops.Tree;

namespace Secrets.Sops.Metadata;

/// <summary>
/// Converts <see cref="SopsMetadata"/> to and from the tree under the <c>sops</c> key (sops.md §4). Writes sops 3.13's
/// layout (keys sorted bytewise at every level, empty lists omitted); reads every older order and version.
/// </summary>
public static class MetadataCodec
{
    public const string Key = "sops";

    private static readonly string[] KeyTypes = ["age", "azure_kv", "gcp_kms", "hc_vault", "hckms", "kms", "pgp"];

    public static TreeBranch ToBranch(SopsMetadata metadata)
    {
        var items = new List<(string Key, object? Value)>();
        if (metadata.KeyGroups.Count == 1)
        {
            items.AddRange(GroupItems(metadata.KeyGroups[0], omitEmpty: true));
        }
        else if (metadata.KeyGroups.Count > 1)
        {
            items.Add(("key_groups", new TreeSequence(metadata.KeyGroups.Select(group => (object?)Sorted(GroupItems(group, omitEmpty: true))))));
        }

        if (metadata.ShamirThreshold != 0)
        {
            items.Add(("shamir_threshold", (long)metadata.ShamirThreshold));
        }

        items.Add(("lastmodified", metadata.LastModified));
        items.Add(("mac", metadata.Mac));
        foreach (var (name, value) in metadata.Rules.Selectors())
        {
            items.Add((name, value));
        }

        if (metadata.Rules.MacOnlyEncrypted)
        {
            items.Add(("mac_only_encrypted", true));
        }

        items.Add(("version", metadata.Version));
        return Sorted(items);
    }

    /// <summary>Reads a metadata tree of any sops version; a file without keys or without a version is malformed.</summary>
    public static SopsMetadata FromBranch(TreeBranch branch)
    {
        var metadata = new SopsMetadata
        {
            LastModified = Text(branch["lastmodified"]) ?? "",
            Mac = Text(branch["mac"]) ?? "",
            Version = Text(branch["version"]) ?? throw new InvalidFileException("sops metadata has no version"),
            ShamirThreshold = Text(branch["shamir_threshold"]) is { } threshold
                ? int.Parse(threshold, NumberStyles.Integer, CultureInfo.InvariantCulture)
                : 0,
        };
        var rules = new EncryptionRules
        {
            UnencryptedSuffix = Text(branch["unencrypted_suffix"]),
            EncryptedSuffix = Text(branch["encrypted_suffix"]),
            UnencryptedRegex = Text(branch["unencrypted_regex"]),
            EncryptedRegex = Text(branch["encrypted_regex"]),
            UnencryptedCommentRegex = Text(branch["unencrypted_comment_regex"]),
            EncryptedCommentRegex = Text(branch["encrypted_comment_regex"]),
            MacOnlyEncrypted = Text(branch["mac_only_encrypted"]) is { } macOnly && PlainValueBool(macOnly),
        };
        metadata.Rules = rules.Validated();

        // stores.go internalKeygroups: top-level key lists make one group; else key_groups (sops.md §4.1).
        var topLevel = ReadGroup(branch);
        if (topLevel.Count > 0 || KeyTypes.Any(type => branch[type] is TreeSequence { Count: > 0 }))
        {
            metadata.KeyGroups.Add(topLevel);
        }
        else if (branch["key_groups"] is TreeSequence groups && groups.Count > 0)
        {
            foreach (var group in groups)
            {
                metadata.KeyGroups.Add(group is TreeBranch g ? ReadGroup(g) : throw new InvalidFileException("sops key_groups entry is not a mapping"));
            }
        }
        else
        {
            throw new InvalidFileException("no keys found in the sops metadata");
        }

        return metadata;
    }

    /// <summary>One master-key entry as a sorted mapping (created_at, enc, fp …; the KMS context as a nested mapping).</summary>
    public static TreeBranch EntryBranch(MasterKeyEntry entry)
    {
        var items = entry.Fields.Select(f => (f.Key, (object?)f.Value)).ToList();
        if (entry.Context is { Count: > 0 } context)
        {
            items.Add(("context", Sorted(context.Select(c => (c.Key, (object?)c.Value)))));
        }

        return Sorted(items);
    }

    private static IEnumerable<(string Key, object? Value)> GroupItems(List<MasterKeyEntry> group, bool omitEmpty)
    {
        foreach (var type in group.Select(e => e.Type).Distinct(StringComparer.Ordinal))
        {
            var entries = group.Where(e => e.Type == type).Select(e => (object?)EntryBranch(e)).ToList();
            if (entries.Count > 0 || !omitEmpty)
            {
                yield return (type, new TreeSequence(entries));
            }
        }
    }

    private static List<MasterKeyEntry> ReadGroup(TreeBranch branch)
    {
        var group = new List<MasterKeyEntry>();
        foreach (var item in branch)
        {
            if (item.Key is not string type || !KeyTypes.Contains(type, StringComparer.Ordinal) || item.Value is not TreeSequence entries)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                group.Add(entry is TreeBranch fields ? ReadEntry(type, fields) : throw new InvalidFileException($"sops {type} entry is not a mapping"));
            }
        }

        return group;
    }

    private static MasterKeyEntry ReadEntry(string type, TreeBranch branch)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? context = null;
        foreach (var item in branch)
        {
            if (item.Key is not string key)
            {
                continue;
            }

            if (item.Value is TreeBranch nested)
            {
                context = nested.Where(i => i.Key is string).ToDictionary(i => (string)i.Key, i => Text(i.Value) ?? "", StringComparer.Ordinal);
            }
            else if (Text(item.Value) is { } value)
            {
                fields[key] = value;
            }
        }

        return new MasterKeyEntry(type, fields, context);
    }

    private static TreeBranch Sorted(IEnumerable<(string Key, object? Value)> items) =>
        new(items.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => new TreeItem(i.Key, i.Value)));

    private static bool PlainValueBool(string text) => Crypto.PlainValue.ParseBool(text) ?? false;

    /// <summary>Any scalar as text: old files have <c>version: 1.7</c> numbers and YAML may type timestamps.</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset t => GoFormat.TimeSeconds(t),
        double d => GoFormat.FloatFixed(d),
        TreeBranch or TreeSequence => null,
        _ => Crypto.PlainValue.ToText(value),
    };
}
