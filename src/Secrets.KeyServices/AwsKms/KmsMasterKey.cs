using Amazon.KeyManagementService.Model;
using Secrets.Core.Keys;

namespace Secrets.KeyServices.AwsKms;

/// <summary>
/// One AWS KMS key: <c>kms:Encrypt(KeyId=arn, Plaintext=data key, EncryptionContext)</c>, <c>enc</c> = standard base64
/// of the CiphertextBlob; fields <c>arn</c>, <c>role</c> (omitted when empty), <c>created_at</c>, <c>enc</c>,
/// <c>aws_profile</c> (always), plus the <c>context</c> map (sops.md §2.1).
/// </summary>
internal sealed class KmsMasterKey(KmsKeySource source, KmsKeyReference key, IReadOnlyDictionary<string, string>? context, string profile, string? createdAt)
    : IMasterKey
{
    public string Type => KmsKeySource.TypeName;

    public string Id => key.Role is null ? key.Arn : $"{key.Arn}+{key.Role}";

    public KmsKeyReference Key => key;

    public IReadOnlyDictionary<string, string>? Context => context;

    public string Profile => profile;

    public async ValueTask<MasterKeyEntry> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        var request = new EncryptRequest
        {
            KeyId = key.Arn,
            Plaintext = new MemoryStream(dataKey.ToArray()),
            EncryptionContext = context is { Count: > 0 } ? new Dictionary<string, string>(context) : null,
        };
        var response = await source.CallAsync(this, "encrypt", (kms, ct) => kms.EncryptAsync(request, ct), cancellationToken);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["arn"] = key.Arn };
        if (key.Role is not null)
        {
            fields["role"] = key.Role;
        }

        fields["created_at"] = KeyTimestamp.KeepOrNow(createdAt, source.Options.TimeProvider);
        fields["enc"] = Convert.ToBase64String(response.CiphertextBlob.ToArray());
        fields["aws_profile"] = profile;
        return new MasterKeyEntry(Type, fields, context is { Count: > 0 } ? context : null);
    }
}
