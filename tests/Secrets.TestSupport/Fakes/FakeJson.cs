using System.Text.Encodings.Web;
using System.Text.Json;

namespace Secrets.TestSupport.Fakes;

/// <summary>JSON output like Go's encoder: quotes as <c>\"</c>, no HTML-escaping of <c>&lt;</c>, <c>`</c> or <c>+</c>.</summary>
public static class FakeJson
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
