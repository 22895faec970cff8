using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>A request the fake refuses; turned into a <c>kind: Status</c> body with the given code (never a 500 by accident).</summary>
internal sealed class KubeApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public static KubeApiException NotFound(KubeResource resource, string name) =>
        new(404, "NotFound", $"{Qualified(resource)} \"{name}\" not found", DetailsOf(resource, name));

    public static KubeApiException AlreadyExists(KubeResource resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(resource)} \"{name}\" already exists", DetailsOf(resource, name));

    public static KubeApiException Conflict(KubeResource resource, string name, string why = "the object has been modified; please apply your changes to the latest version and try again") =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource)} \"{name}\": {why}", DetailsOf(resource, name));

    public static KubeApiException Invalid(KubeResource resource, string name, string field, string problem) =>
        new(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {field}: {problem}", DetailsOf(resource, name));

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = code < 400 ? "Success" : "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details?.DeepClone().AsObject());

    private static string Qualified(KubeResource resource) =>
        resource.Group.Length == 0 ? resource.Plural : resource.Plural + "." + resource.Group;

    private static JsonObject DetailsOf(KubeResource resource, string name)
    {
        var details = new JsonObject { ["name"] = name, ["kind"] = resource.Plural };
        if (resource.Group.Length > 0)
        {
            details["group"] = resource.Group;
        }

        return details;
    }
}
