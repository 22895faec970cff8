using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Secrets.Core;

namespace Secrets.Sealing.Manifests;

/// <summary>
/// Reads Kubernetes objects as kubeseal accepts them (§4.3): YAML with several <c>---</c> documents, or one or more
/// concatenated JSON objects; a <c>v1.List</c> is expanded into its items; empty documents are skipped.
/// </summary>
public static class ManifestReader
{
    /// <summary>Decodes bytes honouring a UTF-8/UTF-16 byte order mark (PowerShell writes UTF-16, kubeseal #1560).</summary>
    public static string Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    public static IReadOnlyList<JsonObject> ReadObjects(byte[] bytes, string source) => ReadObjects(Decode(bytes), source);

    public static IReadOnlyList<JsonObject> ReadObjects(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.TrimStart();
        var nodes = trimmed.StartsWith('{') || trimmed.StartsWith('[') ? ReadJson(text, source) : YamlNodeReader.ReadAll(text, source);
        var objects = new List<JsonObject>();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case null:
                    break;
                case JsonObject list when Nodes.GetString(list["kind"]) == "List" && list["items"] is JsonArray items:
                    foreach (var item in items)
                    {
                        objects.Add(item as JsonObject ?? throw new InvalidFileException($"\"{source}\": an item of the List is not an object"));
                    }

                    break;
                case JsonObject map:
                    objects.Add(map);
                    break;
                default:
                    throw new InvalidFileException($"\"{source}\" does not hold a Kubernetes object (a document is not a mapping)");
            }
        }

        return objects;
    }

    private static List<JsonNode?> ReadJson(string text, string source)
    {
        var nodes = new List<JsonNode?>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                nodes.Add(JsonNode.Parse(ref reader));
            }
        }
        catch (JsonException e)
        {
            throw new InvalidFileException($"\"{source}\" is not valid JSON: line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}", e);
        }

        return nodes;
    }
}
