using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Secrets.Sealing.Manifests;

/// <summary>
/// Writes objects as kubeseal does (§4.3): JSON pretty-printed with two spaces and a trailing newline, keys in
/// the order the object was built (Go struct order); YAML as a <c>---</c> document with sorted keys.
/// </summary>
public static class ManifestWriter
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(JsonObject document, ManifestFormat format)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (format == ManifestFormat.Yaml)
        {
            using var writer = new StringWriter();
            writer.NewLine = "\n";
            writer.Write("---\n");
            YamlNodeWriter.Write(document, writer);
            return writer.ToString();
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            document.WriteTo(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static byte[] WriteUtf8(JsonObject document, ManifestFormat format) => Encoding.UTF8.GetBytes(Write(document, format));
}
