using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Sync;

namespace Secrets.ExternalSecrets.Providers.AwsParameterStore;

/// <summary>
/// AWS SSM Parameter Store (providers/v1/aws/parameterstore, eso-flux.md §2.2): GetParameter WithDecryption with
/// <c>name:version</c> selectors, property with the escaped-literal-first rule, metadataPolicy Fetch ⇒ tags,
/// find via GetParametersByPath (recursive, paginated) filtered by an unanchored name regexp and, for tags, by
/// ListTagsForResource per parameter. Keys get <c>spec.provider.aws.prefix</c>.
/// </summary>
internal sealed class ParameterStoreProvider(IAmazonSimpleSystemsManagement ssm, string prefix) : ISecretsProvider
{
    private const string Name = "aws ParameterStore";

    public async Task<byte[]> GetSecretAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var value = reference.MetadataPolicy == MetadataPolicy.Fetch
            ? ProviderValues.MapToJson(await TagsAsync(prefix + reference.Key, cancellationToken).ConfigureAwait(false))
            : Encoding.UTF8.GetBytes(await GetValueAsync(reference, cancellationToken).ConfigureAwait(false));
        return reference.Property is { } property
            ? ProviderValues.PropertyEscapedFirst(value, property) ?? throw new SyncException($"{Name}: key \"{property}\" does not exist in secret \"{reference.Key}\"")
            : value;
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> GetSecretMapAsync(RemoteRef reference, CancellationToken cancellationToken) =>
        ProviderValues.JsonToMap(await GetSecretAsync(reference, cancellationToken).ConfigureAwait(false), reference.Key);

    public async Task<IReadOnlyDictionary<string, byte[]>> GetAllSecretsAsync(FindRef find, CancellationToken cancellationToken)
    {
        var matches = ProviderValues.NameMatcher(find.NameRegexp);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var request = new GetParametersByPathRequest { Path = find.Path ?? "/", Recursive = true, WithDecryption = true };
        try
        {
            await foreach (var page in ssm.Paginators.GetParametersByPath(request).Responses.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                foreach (var parameter in page.Parameters ?? [])
                {
                    if (!matches(parameter.Name))
                    {
                        continue;
                    }

                    if (find.Tags.Count > 0)
                    {
                        var tags = await TagsAsync(parameter.Name, cancellationToken).ConfigureAwait(false);
                        if (!find.Tags.All(t => tags.TryGetValue(t.Key, out var v) && v == t.Value))
                        {
                            continue;
                        }
                    }

                    result[parameter.Name] = Encoding.UTF8.GetBytes(parameter.Value);
                }
            }
        }
        catch (AmazonSimpleSystemsManagementException e)
        {
            throw Failed("GetParametersByPath", find.Path ?? "/", e);
        }

        return result;
    }

    public Task<StoreValidation> ValidateAsync(CancellationToken cancellationToken) => Task.FromResult(StoreValidation.Ready);

    private async Task<string> GetValueAsync(RemoteRef reference, CancellationToken cancellationToken)
    {
        var name = prefix + reference.Key + (reference.Version is { } version ? ":" + version : "");
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
            return response.Parameter.Value;
        }
        catch (ParameterNotFoundException)
        {
            throw SecretNotFoundException.ForKey(Name, reference.Key);
        }
        catch (AmazonSimpleSystemsManagementException e)
        {
            throw Failed("GetParameter", reference.Key, e);
        }
    }

    private async Task<Dictionary<string, string>> TagsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = ResourceTypeForTagging.Parameter, ResourceId = name }, cancellationToken).ConfigureAwait(false);
            return (response.TagList ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        }
        catch (InvalidResourceIdException)
        {
            throw SecretNotFoundException.ForKey(Name, name);
        }
        catch (AmazonSimpleSystemsManagementException e)
        {
            throw Failed("ListTagsForResource", name, e);
        }
    }

    private static SyncException Failed(string operation, string key, AmazonServiceException e) =>
        new($"{Name}: {operation} \"{key}\" failed: {e.ErrorCode} (HTTP {(int)e.StatusCode})", e);

    public ValueTask DisposeAsync()
    {
        ssm.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Creates Parameter Store clients: region from the store, credentials from auth.secretRef (else the SDK's default
/// chain: IRSA, pod identity, environment). The endpoint comes only from the SDK's standard settings
/// (AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL), so production code has no test hook.
/// </summary>
public sealed class ParameterStoreProviderFactory : ISecretsProviderFactory
{
    public string Name => "aws";

    public async Task<ISecretsProvider> CreateAsync(ProviderContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = context.Config(Name);
        var service = config["service"].Required;
        if (service != "ParameterStore")
        {
            throw config["service"].Invalid($"is \"{service}\"; this controller supports ParameterStore (SecretsManager needs an SDK that is not available)");
        }

        if (config["role"].String is { Length: > 0 } || config["additionalRoles"].Items.Any())
        {
            throw config["role"].Invalid("(role assumption) is not supported yet");
        }

        var settings = new AmazonSimpleSystemsManagementConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(config["region"].Required) };
        var secretRef = config["auth"]["secretRef"];
        IAmazonSimpleSystemsManagement client;
        if (secretRef.Exists)
        {
            var accessKey = await context.ReadSecretRefStringAsync(secretRef["accessKeyIDSecretRef"], cancellationToken).ConfigureAwait(false);
            var secretKey = await context.ReadSecretRefStringAsync(secretRef["secretAccessKeySecretRef"], cancellationToken).ConfigureAwait(false);
            AWSCredentials credentials = secretRef["sessionTokenSecretRef"].Exists
                ? new SessionAWSCredentials(accessKey, secretKey, await context.ReadSecretRefStringAsync(secretRef["sessionTokenSecretRef"], cancellationToken).ConfigureAwait(false))
                : new BasicAWSCredentials(accessKey, secretKey);
            client = new AmazonSimpleSystemsManagementClient(credentials, settings);
        }
        else
        {
            client = new AmazonSimpleSystemsManagementClient(settings);
        }

        return new ParameterStoreProvider(client, config["prefix"].String ?? "");
    }
}
