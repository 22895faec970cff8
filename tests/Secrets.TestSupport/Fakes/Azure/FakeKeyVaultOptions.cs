namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>Who a <see cref="FakeKeyVault"/> trusts: the tenant and the app registrations its token endpoint accepts.</summary>
public sealed record FakeKeyVaultOptions
{
    public string TenantId { get; init; } = "72f988bf-0000-4000-8000-00000000c0de";

    /// <summary>Client id → client secret accepted by the client-credentials grant.</summary>
    public IReadOnlyDictionary<string, string> ClientSecrets { get; init; } = new Dictionary<string, string>
    {
        ["11111111-2222-3333-4444-555555555555"] = "fake-client-secret",
    };

    /// <summary>
    /// Client ids allowed to authenticate with a <c>client_assertion</c> (workload identity federation); the assertion
    /// must equal <see cref="AcceptedAssertion"/> when that is set.
    /// </summary>
    public IReadOnlyCollection<string> FederatedClients { get; init; } = ["66666666-7777-8888-9999-000000000000"];

    public string? AcceptedAssertion { get; init; }

    /// <summary>Lifetime of issued tokens (<c>expires_in</c>).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Clock for attributes (<c>created</c>, <c>updated</c>) and token expiry.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
