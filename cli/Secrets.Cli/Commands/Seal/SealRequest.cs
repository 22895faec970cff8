namespace Secrets.Cli.Commands.Seal;

/// <summary>The values of <c>secrets seal</c>'s flags, after environment defaults.</summary>
internal sealed record SealRequest
{
    public string? Input { get; init; }

    public string? Output { get; init; }

    public string? Format { get; init; }

    public string? Cert { get; init; }

    public string? Scope { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public bool Raw { get; init; }

    public string? FromFile { get; init; }

    public string? MergeInto { get; init; }

    public bool ReEncrypt { get; init; }

    public bool Validate { get; init; }

    public bool FetchCert { get; init; }

    public required string ControllerName { get; init; }

    public required string ControllerNamespace { get; init; }

    public string? KubeConfig { get; init; }

    public string? KubeContext { get; init; }

    public bool AllowEmptyData { get; init; }

    public bool RecoveryUnseal { get; init; }

    public IReadOnlyList<string> RecoveryKeys { get; init; } = [];
}
