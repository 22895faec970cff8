using Secrets.Core;

namespace Secrets.Sops.Stores;

/// <summary>Picks a store from <c>--input-type</c>/<c>--output-type</c> or the file extension (sops.md §6).</summary>
public static class StoreFactory
{
    public static IReadOnlyList<string> Formats { get; } = ["yaml", "json", "dotenv", "ini", "binary"];

    /// <summary>The format of a path by extension: .yaml/.yml, .json, .env, .ini, anything else binary.</summary>
    public static string FormatForPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".yaml" or ".yml" => "yaml",
        ".json" => "json",
        ".env" => "dotenv",
        ".ini" => "ini",
        _ => "binary",
    };

    /// <param name="format">A format name.</param>
    /// <param name="yamlIndent">YAML indent (2..9; 0 = default 4).</param>
    /// <param name="jsonIndent">JSON indent (-1 = TAB).</param>
    public static ISopsStore Create(string format, int yamlIndent = 0, int jsonIndent = -1) => format switch
    {
        "yaml" => new YamlStore(yamlIndent > 0 ? yamlIndent : YamlStore.DefaultIndent),
        "json" => new JsonStore(jsonIndent),
        "dotenv" => new DotenvStore(),
        "ini" => new IniStore(),
        "binary" => new BinaryStore(jsonIndent),
        _ => throw new SecretsOperationException(ErrorKind.Usage, $"unknown file format \"{format}\"")
        {
            Hints = ["use one of: " + string.Join(", ", Formats)],
        },
    };
}
