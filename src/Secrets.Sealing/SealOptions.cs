namespace Secrets.Sealing;

/// <summary>How <see cref="SecretSealer"/> treats an input Secret; mirrors kubeseal's flags (§4.3).</summary>
public sealed record SealOptions
{
    /// <summary><c>--scope</c>: when not strict it replaces the input's scope annotations; strict (or null) keeps them.</summary>
    public SealedSecretScope? Scope { get; init; }

    /// <summary><c>--name</c>: overrides the input Secret's name.</summary>
    public string? Name { get; init; }

    /// <summary><c>-n</c> given explicitly: fills a missing namespace and must equal a present one.</summary>
    public string? Namespace { get; init; }

    /// <summary>Namespace for inputs without one when <see cref="Namespace"/> is not set (kubeconfig context).</summary>
    public string? DefaultNamespace { get; init; }

    /// <summary><c>--allow-empty-data</c>: seal a Secret with neither data nor stringData.</summary>
    public bool AllowEmptyData { get; init; }
}
