using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Vault;

/// <summary>A refused call, written as <c>{"errors":[message]}</c> (or <c>{"errors":[]}</c> for a bare 404), optionally with data.</summary>
internal sealed class VaultException(int statusCode, string? message, JsonObject? data = null) : Exception(message ?? "not found")
{
    public int StatusCode { get; } = statusCode;

    public string? Error { get; } = message;

    /// <summary>Data a 404 still carries (KV v2 deleted versions).</summary>
    public JsonObject? Body { get; } = data;

    public static VaultException BadRequest(string message) => new(400, message);

    public static VaultException Denied() => new(403, "permission denied");

    public static VaultException NotFound() => new(404, null);
}
