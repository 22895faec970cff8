using System.Text.Json;
using System.Text.Json.Nodes;
using Secrets.Core;
using Secrets.Sealing.Manifests;

namespace Secrets.ExternalSecrets.Api;

/// <summary>
/// A node of a manifest together with its path (<c>spec.data[0].remoteRef.key</c>), so every parse error names the
/// field it is about and the object it came from, never a value.
/// </summary>
internal readonly record struct ManifestField(JsonNode? Node, string Path, string Source)
{
    public ManifestField this[string name] =>
        new((Node as JsonObject)?[name], Path.Length == 0 ? name : $"{Path}.{name}", Source);

    public bool Exists => Node is not null;

    public string? String => Node switch
    {
        null => null,
        JsonValue => Nodes.GetString(Node) ?? throw Invalid("must be a string"),
        _ => throw Invalid("must be a string"),
    };

    public string Required => String is { Length: > 0 } text ? text : throw Invalid("is required");

    public bool Bool => Node is null ? false : Nodes.GetBool(Node) ?? throw Invalid("must be a boolean");

    public long? Long => Node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) => number,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var real) && real == Math.Floor(real) => (long)real,
        _ => throw Invalid("must be an integer"),
    };

    public IEnumerable<ManifestField> Items
    {
        get
        {
            switch (Node)
            {
                case null:
                    yield break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        yield return new ManifestField(array[i], $"{Path}[{i}]", Source);
                    }

                    yield break;
                default:
                    throw Invalid("must be a list");
            }
        }
    }

    public IReadOnlyList<string> Strings => [.. Items.Select(i => i.String ?? "")];

    /// <summary>A string map (labels, tags, template data); null when the field is absent, so "absent" and "{}" differ.</summary>
    public IReadOnlyDictionary<string, string>? Map => Node switch
    {
        null => null,
        JsonObject => Nodes.GetStringMap(Node, Path, Source),
        _ => throw Invalid("must be a map"),
    };

    public IReadOnlyDictionary<string, string> MapOrEmpty => Map ?? new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>An enum written with ESO's spelling; absent or "" is <paramref name="defaultValue"/> (eso-flux.md §1.10).</summary>
    public T Enum<T>(T defaultValue)
        where T : struct, Enum
    {
        var text = String;
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        return System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0])
            ? value
            : throw Invalid($"is \"{text}\", expected one of {string.Join(", ", System.Enum.GetNames<T>())}");
    }

    public InvalidFileException Invalid(string problem) => new($"{Source}: {Path} {problem}");
}
