namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>A refused vault call, written as <c>{"error":{"code","message"[,"innererror":{"code"}]}}</c>.</summary>
internal sealed class KeyVaultException(int statusCode, string code, string message, string? innerCode = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;

    public string? InnerCode { get; } = innerCode;

    public static KeyVaultException BadParameter(string message) => new(400, "BadParameter", message);
}
