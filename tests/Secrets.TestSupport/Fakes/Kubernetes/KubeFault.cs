namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>What an injected failure does to a matching request.</summary>
public enum KubeFaultKind
{
    /// <summary>Answer with a <c>kind: Status</c> error body and the given code.</summary>
    Status,

    /// <summary>Never answer; the request ends when the client gives up (its timeout or cancellation) or the fake stops.</summary>
    Hang,

    /// <summary>Abort the connection without a response.</summary>
    DropConnection,
}

/// <summary>An injected failure; see <see cref="KubeFaults"/>.</summary>
public sealed record KubeFault(KubeFaultKind Kind, int Code = 500, string Reason = "InternalError", int? RetryAfterSeconds = null)
{
    public static KubeFault InternalError { get; } = new(KubeFaultKind.Status);

    public static KubeFault ServiceUnavailable { get; } = new(KubeFaultKind.Status, 503, "ServiceUnavailable");

    public static KubeFault Conflict { get; } = new(KubeFaultKind.Status, 409, "Conflict");

    public static KubeFault Hang { get; } = new(KubeFaultKind.Hang);

    public static KubeFault DropConnection { get; } = new(KubeFaultKind.DropConnection);

    /// <summary>429 with <c>Retry-After</c>, as API priority and fairness answers.</summary>
    public static KubeFault TooManyRequests(int retryAfterSeconds = 1) => new(KubeFaultKind.Status, 429, "TooManyRequests", retryAfterSeconds);

    public static KubeFault WithStatus(int code, string reason) => new(KubeFaultKind.Status, code, reason);
}
