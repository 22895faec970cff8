namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>A token the fake Entra endpoint issued: to which app, for which scope, and how the app proved itself.</summary>
/// <param name="ClientId">The app registration (client id).</param>
/// <param name="Scope">The requested scope, e.g. <c>https://vault.azure.net/.default</c>.</param>
/// <param name="Federated">True for a <c>client_assertion</c> (workload identity), false for a client secret.</param>
public sealed record EntraGrant(string ClientId, string Scope, bool Federated);
