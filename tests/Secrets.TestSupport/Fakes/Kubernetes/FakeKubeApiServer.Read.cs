using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>GET of one object and lists with label/field selectors and <c>limit</c>/<c>continue</c> paging.</summary>
public sealed partial class FakeKubeApiServer
{
    private JsonObject GetObject(KubeResource resource, string? ns, string name)
    {
        lock (_store.Gate)
        {
            return Copy(_store.Get(resource, ns ?? "", name), resource) ?? throw KubeApiException.NotFound(resource, name);
        }
    }

    private JsonObject ListObjects(KubeResource resource, string? ns, IQueryCollection query)
    {
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], resource);
        var limit = ParseLimit(query["limit"]);
        lock (_store.Gate)
        {
            var after = ParseContinue(query["continue"]);
            var matching = _store.List(resource, ns)
                .Where(o => labels.Matches(o) && fields.Matches(o))
                .Where(o => after is null || string.CompareOrdinal(ListKey(o), after) > 0)
                .ToList();
            var page = limit is { } n && n < matching.Count ? matching.Take(n).ToList() : matching;
            var metadata = new JsonObject { ["resourceVersion"] = _store.CurrentVersionText };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = EncodeContinue(_store.ResourceVersion, ListKey(page[^1]));
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }

            return new JsonObject
            {
                ["kind"] = resource.ListKind,
                ["apiVersion"] = resource.ApiVersion,
                ["metadata"] = metadata,
                ["items"] = new JsonArray(page.Select(o => (JsonNode)Copy(o, resource)!).ToArray()),
            };
        }
    }

    private static int? ParseLimit(string? text) =>
        string.IsNullOrEmpty(text) || text == "0" ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw KubeApiException.BadRequest($"invalid limit \"{text}\"");

    private static string ListKey(JsonObject obj) => ObjectRules.Namespace(obj) + "|" + ObjectRules.Name(obj);

    private static string EncodeContinue(long rv, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rv.ToString(CultureInfo.InvariantCulture)}|{key}"));

    /// <summary>The list key to continue after; 410 when the token's resourceVersion was compacted away (as the real server).</summary>
    private string? ParseContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw KubeApiException.BadRequest("continue key is not valid: illegal base64 data");
        }

        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0 || !long.TryParse(text[..bar], NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
        {
            throw KubeApiException.BadRequest("continue key is not valid");
        }

        if (rv < _store.CompactedRevision)
        {
            throw new KubeApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
        }

        return text[(bar + 1)..];
    }
}
