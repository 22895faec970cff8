using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using k8s.Models;
using Secrets.Age;
using Secrets.Core;
using Secrets.KeyServices.AwsKms;
using Secrets.KeyServices.AzureKeyVault;
using Secrets.KeyServices.VaultTransit;
using Secrets.Pgp;
using Secrets.Sops.Keys;
using Secrets.Sops.Keys.Age;
using Secrets.Sops.Keys.Pgp;

namespace Secrets.Controller.SopsSecrets;

/// <summary>
/// The key sources for one reconcile, from Flux-style decryption Secrets (eso-flux.md §3.2): <c>*.agekey</c> age
/// identities, <c>*.asc</c> armored PGP private keys, <c>sops.vault-token</c>, <c>sops.azure-kv</c> service principal or
/// managed identity; other entries are ignored, as in Flux. Cloud keys without static credentials use the pod's ambient
/// ones (IRSA, workload identity, VAULT_TOKEN). Messages name Secrets and entries, never their content.
/// </summary>
public sealed class DecryptionKeys : IDisposable
{
    public const string VaultToken = "sops.vault-token";
    public const string AwsKms = "sops.aws-kms";
    public const string AzureKeyVault = "sops.azure-kv";

    private readonly KmsKeySource _kms = new();
    private readonly VaultTransitKeySource _vault;

    private DecryptionKeys(List<IIdentity> age, List<ReadOnlyMemory<byte>> pgp, string? vaultToken, TokenCredential? azure, List<string> ignored)
    {
        _vault = new VaultTransitKeySource(new VaultTransitOptions { Token = vaultToken });
        Registry = new MasterKeyRegistry(
        [
            new AgeKeySource(age),
            new PgpKeySource(PgpKeyring.Load(pgp)),
            _kms,
            new AzureKeyVaultKeySource(azure is null ? null : new AzureKeyVaultOptions { Credential = azure }),
            _vault,
        ]);
        Ignored = ignored;
    }

    public MasterKeyRegistry Registry { get; }

    /// <summary>Entries that look like keys but are not used (e.g. <c>sops.aws-kms</c>), to report as a warning.</summary>
    public IReadOnlyList<string> Ignored { get; }

    public static DecryptionKeys From(IEnumerable<V1Secret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var age = new List<IIdentity>();
        var pgp = new List<ReadOnlyMemory<byte>>();
        var ignored = new List<string>();
        string? vaultToken = null;
        TokenCredential? azure = null;
        foreach (var secret in secrets)
        {
            var where = $"Secret {secret.Metadata.NamespaceProperty}/{secret.Metadata.Name}";
            foreach (var (name, value) in secret.Data ?? new Dictionary<string, byte[]>())
            {
                var entry = $"{where} entry \"{name}\"";
                if (Path.GetExtension(name) == ".agekey")
                {
                    age.AddRange(ParseAge(value, entry));
                }
                else if (Path.GetExtension(name) == ".asc")
                {
                    pgp.Add(value);
                }
                else if (name == VaultToken)
                {
                    vaultToken = Encoding.UTF8.GetString(value).Trim();
                }
                else if (name == AzureKeyVault)
                {
                    azure = ParseAzure(value, entry);
                }
                else if (name == AwsKms)
                {
                    ignored.Add($"{entry}: static AWS credentials are not supported yet; the pod's ambient AWS credentials are used");
                }
            }
        }

        return new DecryptionKeys(age, pgp, vaultToken, azure, ignored);
    }

    public void Dispose()
    {
        _kms.Dispose();
        _vault.Dispose();
    }

    private static IReadOnlyList<IIdentity> ParseAge(byte[] value, string entry)
    {
        try
        {
            return AgeIdentities.Parse(new StringReader(Encoding.UTF8.GetString(value)));
        }
        catch (SecretsException e)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"{entry} is not an age identity file", e)
            {
                Hints = ["a .agekey entry holds AGE-SECRET-KEY-1… lines (age-keygen output)"],
            };
        }
    }

    /// <summary>
    /// Flux's <c>sops.azure-kv</c> shapes: <c>{tenantId, clientId, clientSecret}</c>, az CLI output
    /// <c>{appId, password, tenant}</c>, or <c>{clientId}</c> for a managed identity; optional <c>authorityHost</c>.
    /// </summary>
    private static TokenCredential ParseAzure(byte[] value, string entry)
    {
        JsonObject config;
        try
        {
            config = (Sealing.Manifests.ManifestReader.ReadObjects(value, entry) is [var single] ? single : null)
                ?? throw new InvalidFileException($"{entry} is not one JSON or YAML object");
        }
        catch (Exception e) when (e is JsonException or InvalidFileException)
        {
            throw new SecretsOperationException(ErrorKind.InvalidKey, $"{entry} is not a JSON or YAML object", e);
        }

        string? Get(params string[] names) => names.Select(n => config[n] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null).FirstOrDefault(s => s is not null);
        var tenant = Get("tenantId", "tenant");
        var client = Get("clientId", "appId");
        var secret = Get("clientSecret", "password");
        var authority = Get("authorityHost") is { } host ? new Uri(host) : AzureAuthorityHosts.AzurePublicCloud;
        if (tenant is not null && client is not null && secret is not null)
        {
            return new ClientSecretCredential(tenant, client, secret, new ClientSecretCredentialOptions { AuthorityHost = authority });
        }

        return client is not null && tenant is null
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(client))
            : throw new SecretsOperationException(ErrorKind.InvalidKey, $"{entry} has neither tenantId/clientId/clientSecret nor a managed identity clientId")
            {
                Hints = ["client certificates in sops.azure-kv are not supported yet; use a client secret or workload identity"],
            };
    }
}
