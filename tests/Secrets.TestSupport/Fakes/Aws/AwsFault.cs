namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>An injected AWS error: <c>{"__type": Type, "message": …}</c> with the given HTTP status.</summary>
public sealed record AwsFault(string Type, int StatusCode = 400, string Message = "injected fault")
{
    /// <summary>Retryable throttling, as KMS and SSM answer under load.</summary>
    public static AwsFault Throttling { get; } = new("ThrottlingException", 400, "Rate exceeded");

    public static AwsFault AccessDenied { get; } = new("AccessDeniedException", 400, "User is not authorized to perform this operation");

    public static AwsFault InternalFailure { get; } = new("InternalFailure", 500, "internal failure");

    public static AwsFault ServiceUnavailable { get; } = new("ServiceUnavailable", 503, "service unavailable");
}
