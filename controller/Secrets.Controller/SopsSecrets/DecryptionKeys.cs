using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
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
/// identities, <c>*.asc</c> armored PGP private keys, <c>sops.vault-token</c>, <c>sops.aws-kms</c> static AWS credentials,
/// <c>sops.azure-kv</c> service principal or managed identity; other entries are ignored, as in Flux. Static credentials
/// win over ambient ones (eso-flux.md §3.2 precedence); cloud keys without them use the pod's (IRSA, workload identity,
/// VAULT_TOKEN). Messages name Secrets and entries, never their content.
/// </summary>
public sealed class DecryptionKeys : IDisposable
{
    public const string VaultToken = "sops.vault-token";
    public const string AwsKms = "sops.aws-kms";
    public const string AzureKeyVault = "sops.azure-kv";

    private readonly KmsKeySource _kms;
    private readonly VaultTransitKeySource _vault;

    private DecryptionKeys(List<IIdentity> age, List<ReadOnlyMemory<byte>> pgp, string? vaultToken, AwsStaticCredentials? aws, TokenCredential? azure, HttpPipelineTransport? transport, KeyServiceConnections connections)
    {
        _kms = new KmsKeySource(new KmsOptions { Credentials = aws });
        _vault = new VaultTransitKeySource(new VaultTransitOptions { Token = vaultToken });
        Registry = new MasterKeyRegistry(
        [
            new AgeKeySource(age),
            new PgpKeySource(PgpKeyring.Load(pgp)),
            _kms,
            new AzureKeyVaultKeySource(new AzureKeyVaultOptions
            {
                Credential = azure,
                Transport = transport,
                DisableChallengeResourceVerification = connections.DisableChallengeResourceVerification,
            }),
            _vault,
        ]);
    }

    public MasterKeyRegistry Registry { get; }

    public static DecryptionKeys From(IEnumerable<V1Secret> secrets, KeyServiceConnections? connections = null)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        connections ??= new KeyServiceConnections();
        var transport = connections.HttpHandlerFactory is { } factory ? new HttpClientTransport(factory()) : null;
        var age = new List<IIdentity>();
        var pgp = new List<ReadOnlyMemory<byte>>();
        string? vaultToken = null;
        AwsStaticCredentials? aws = null;
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
                    azure = ParseAzure(value, entry, transport);
                }
                else if (name == AwsKms)
                {
                    aws = ParseAws(value, entry);
                }
            }
        }

        return new DecryptionKeys(age, pgp, vaultToken, aws, azure, transport, connections);
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
    private static TokenCredential ParseAzure(byte[] value, string entry, HttpPipelineTransport? transport)
    {
        var get = ReadFields(value, entry);
        var tenant = get(["tenantId", "tenant"]);
        var client = get(["clientId", "appId"]);
        var secret = get(["clientSecret", "password"]);
        var authority = get(["authorityHost"]) is { } host ? new Uri(host) : null;
        if (tenant is not null && client is not null && secret is not null)
        {
            return AzureCredentialChain.ClientSecret(tenant, client, secret, authority, transport);
        }

        return client is not null && tenant is null
            ? AzureCredentialChain.ManagedIdentity(client, authority, transport)
            : throw new SecretsOperationException(ErrorKind.InvalidKey, $"{entry} has neither tenantId/clientId/clientSecret nor a managed identity clientId")
            {
                Hints = ["client certificates in sops.azure-kv are not supported yet; use a client secret or workload identity"],
            };
    }

    /// <summary>Flux's <c>sops.aws-kms</c>: YAML <c>aws_access_key_id</c>, <c>aws_secret_access_key</c>, optional <c>aws_session_token</c>.</summary>
    private static AwsStaticCredentials ParseAws(byte[] value, string entry)
    {
        var get = ReadFields(value, entry);
        return get(["aws_access_key_id"]) is { } id && get(["aws_secret_access_key"]) is { } secret
            ? new AwsStaticCredentials(id, secret, get(["aws_session_token"]))
            : throw new SecretsOperationException(ErrorKind.InvalidKey, $"{entry} lacks aws_access_key_id or aws_secret_access_key")
            {
                Hints = ["write it as YAML: aws_access_key_id: …, aws_secret_access_key: …, optional aws_session_token: …"],
            };
    }

    /// <summary>Reads one JSON or YAML object; the returned lookup gives the first non-empty string among the names.</summary>
    private static Func<string[], string?> ReadFields(byte[] value, string entry)
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

        return names => names.Select(n => config[n] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null).FirstOrDefault(s => s is not null);
    }
}
