using System.Globalization;
using System.Text.Json.Nodes;

namespace Secrets.ExternalSecrets.Api;

/// <summary>A Kubernetes condition as ESO writes them (<c>type</c>, <c>status</c> "True"/"False", <c>reason</c>, <c>message</c>).</summary>
public sealed record StatusCondition(string Type, string Status, string? Reason, string? Message, DateTimeOffset? LastTransitionTime = null)
{
    public bool IsTrue => Status == "True";

    internal static StatusCondition Parse(ManifestField field) => new(
        field["type"].Required,
        field["status"].String ?? "Unknown",
        field["reason"].String,
        field["message"].String,
        ParseTime(field["lastTransitionTime"].String));

    internal static DateTimeOffset? ParseTime(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>RFC 3339 in UTC with whole seconds, as metav1.Time serializes.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject ToJson()
    {
        var obj = new JsonObject { ["type"] = Type, ["status"] = Status };
        if (Reason is not null)
        {
            obj["reason"] = Reason;
        }

        if (Message is not null)
        {
            obj["message"] = Message;
        }

        if (LastTransitionTime is { } time)
        {
            obj["lastTransitionTime"] = FormatTime(time);
        }

        return obj;
    }
}
