using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Secrets.Core.Keys;

namespace Secrets.KeyServices.AwsKms;

/// <summary>
/// The <c>kms</c> key type: parses <c>arn[+role]</c>, wraps with <c>kms:Encrypt</c> and unwraps with <c>kms:Decrypt</c>
/// (binding the entry's encryption context), through the real AWS SDK (sops.md §2.1).
/// </summary>
public sealed class KmsKeySource(KmsOptions? options = null) : IMasterKeySource, IDisposable
{
    public const string TypeName = "kms";

    private readonly KmsClients _clients = new(options?.Credentials);

    public string Type => TypeName;

    internal KmsOptions Options { get; } = options ?? new KmsOptions();

    public IMasterKey Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new KmsMasterKey(this, KmsKeyReference.Parse(value), Options.EncryptionContext, Options.AwsProfile, createdAt: null);
    }

    public IMasterKey FromEntry(MasterKeyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = KmsKeyReference.FromArn(KeyFields.Required(entry, "arn"), entry["role"]);
        return new KmsMasterKey(this, key, entry.Context, entry["aws_profile"] ?? Options.AwsProfile, entry["created_at"]);
    }

    public async ValueTask<byte[]?> TryUnwrapAsync(MasterKeyEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Type != TypeName)
        {
            return null;
        }

        var key = (KmsMasterKey)FromEntry(entry);
        var blob = KeyFields.Enc(entry, Convert.FromBase64String);
        var request = new DecryptRequest
        {
            CiphertextBlob = new MemoryStream(blob),
            KeyId = key.Key.Arn,
            EncryptionContext = entry.Context is { Count: > 0 } context ? new Dictionary<string, string>(context) : null,
        };
        var response = await CallAsync(key, "decrypt", (kms, ct) => kms.DecryptAsync(request, ct), cancellationToken);
        return response.Plaintext.ToArray();
    }

    internal async Task<T> CallAsync<T>(KmsMasterKey key, string operation, Func<AmazonKeyManagementServiceClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var kms = await _clients.GetAsync(key.Key, key.Profile, cancellationToken);
            return await call(kms, cancellationToken);
        }
        catch (Exception e) when (KmsFailure.IsServiceFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw KmsFailure.From(key.Id, operation, e);
        }
    }

    public void Dispose() => _clients.Dispose();
}
