using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Secrets.Core;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Secrets.Sealing.Manifests;

/// <summary>
/// Turns YAML documents into JSON nodes through YamlDotNet's event model (no reflection; the CLI is Native AOT).
/// Plain scalars are typed like YAML 1.1 as Kubernetes reads them (null, booleans, numbers); quoted ones stay strings.
/// </summary>
internal static partial class YamlNodeReader
{
    public static List<JsonNode?> ReadAll(string text, string source)
    {
        var documents = new List<JsonNode?>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var node = parser.Accept<DocumentEnd>(out _) ? null : ReadNode(parser, source);
                parser.Consume<DocumentEnd>();
                documents.Add(node);
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            throw new InvalidFileException($"\"{source}\" is not valid YAML or JSON: {e.Message} (line {e.Start.Line}, column {e.Start.Column})", e);
        }

        return documents;
    }

    private static JsonNode? ReadNode(IParser parser, string source)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return ScalarToNode(scalar);
        }

        if (parser.TryConsume<MappingStart>(out _))
        {
            var map = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                var value = ReadNode(parser, source);
                map[key.Value] = value;
            }

            return map;
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(parser, source));
            }

            return array;
        }

        var current = parser.Current;
        throw new InvalidFileException($"\"{source}\" uses a YAML feature that is not supported here (anchors and aliases): line {current?.Start.Line}");
    }

    private static JsonValue? ScalarToNode(Scalar scalar)
    {
        var value = scalar.Value;
        if (scalar.Style is not ScalarStyle.Plain || !scalar.IsPlainImplicit)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        if (FloatPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
