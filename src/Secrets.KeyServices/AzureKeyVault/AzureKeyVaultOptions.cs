using Azure.Core;
using Azure.Core.Pipeline;

namespace Secrets.KeyServices.AzureKeyVault;

/// <summary>How Key Vault keys authenticate and connect.</summary>
public sealed record AzureKeyVaultOptions
{
    /// <summary>The identity; default <see cref="AzureCredentialChain.FromEnvironment"/> (never DefaultAzureCredential).</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>The HTTP transport (e.g. one trusting a private CA); default: Azure.Core's.</summary>
    public HttpPipelineTransport? Transport { get; init; }

    /// <summary>
    /// Accept a challenge whose resource is not a parent domain of the vault host (private endpoints, custom domains;
    /// test-infra.md §4). Off by default, like the Key Vault SDKs.
    /// </summary>
    public bool DisableChallengeResourceVerification { get; init; }

    /// <summary>Retries of throttled (429) and transient failures, with Azure.Core's exponential back-off.</summary>
    public int MaxRetries { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
