using System.Text.Json.Nodes;

namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>
/// KMS (<c>TrentService.Encrypt|Decrypt|GenerateDataKey|GenerateDataKeyWithoutPlaintext|DescribeKey</c>): keys by id, ARN,
/// <c>alias/…</c> or alias ARN; disabled and access-denied keys; EncryptionContext bound as AAD (test-infra.md §3).
/// </summary>
public sealed partial class FakeAws
{
    private readonly Dictionary<string, FakeKmsKey> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    /// <summary>Creates a symmetric key (and optionally its alias, <c>alias/name</c> or just <c>name</c>).</summary>
    public FakeKmsKey CreateKey(string? alias = null, string? description = null)
    {
        lock (_gate)
        {
            var id = Guid.NewGuid().ToString();
            var key = new FakeKmsKey(id, $"arn:aws:kms:{Region}:{AccountId}:key/{id}", description, Now);
            _keys[id] = key;
            if (alias is not null)
            {
                _aliases[alias.StartsWith("alias/", StringComparison.Ordinal) ? alias : "alias/" + alias] = id;
            }

            return key;
        }
    }

    /// <summary>Enables or disables a key (a disabled key answers <c>DisabledException</c>).</summary>
    public void SetKeyEnabled(FakeKmsKey key, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            key.Enabled = enabled;
        }
    }

    /// <summary>Makes every use of the key answer <c>AccessDeniedException</c> (or restores access).</summary>
    public void SetKeyAccessDenied(FakeKmsKey key, bool denied)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            key.AccessDenied = denied;
        }
    }

    private JsonObject Kms(string operation, JsonObject body) => operation switch
    {
        "Encrypt" => Encrypt(body),
        "Decrypt" => Decrypt(body),
        "GenerateDataKey" => GenerateDataKey(body, withPlaintext: true),
        "GenerateDataKeyWithoutPlaintext" => GenerateDataKey(body, withPlaintext: false),
        "DescribeKey" => new JsonObject { ["KeyMetadata"] = Metadata(Resolve(RequiredString(body, "KeyId"))) },
        _ => throw new AwsException("UnknownOperationException", $"the fake does not implement KMS {operation}"),
    };

    private JsonObject Encrypt(JsonObject body)
    {
        var key = Usable(Resolve(RequiredString(body, "KeyId")), "Encrypt");
        var plaintext = Convert.FromBase64String(RequiredString(body, "Plaintext"));
        if (plaintext.Length is 0 or > 4096)
        {
            throw AwsException.Validation("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096");
        }

        return new JsonObject
        {
            ["CiphertextBlob"] = Convert.ToBase64String(KmsCiphertext.Seal(key, plaintext, Context(body))),
            ["KeyId"] = key.Arn,
            ["EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT",
        };
    }

    private JsonObject Decrypt(JsonObject body)
    {
        var blob = Convert.FromBase64String(RequiredString(body, "CiphertextBlob"));
        var embedded = KmsCiphertext.KeyIdOf(blob) is { } id && _keys.TryGetValue(id, out var found)
            ? found
            : throw new AwsException("InvalidCiphertextException", "");
        if (body["KeyId"] is not null && Resolve(RequiredString(body, "KeyId")) != embedded)
        {
            throw new AwsException("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
        }

        var plaintext = KmsCiphertext.Open(Usable(embedded, "Decrypt"), blob, Context(body))
            ?? throw new AwsException("InvalidCiphertextException", "");
        return new JsonObject
        {
            ["Plaintext"] = Convert.ToBase64String(plaintext),
            ["KeyId"] = embedded.Arn,
            ["EncryptionAlgorithm"] = "SYMMETRIC_DEFAULT",
        };
    }

    private JsonObject GenerateDataKey(JsonObject body, bool withPlaintext)
    {
        var key = Usable(Resolve(RequiredString(body, "KeyId")), withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext");
        var size = (body["KeySpec"]?.GetValue<string>(), body["NumberOfBytes"]) switch
        {
            ("AES_256", null) => 32,
            ("AES_128", null) => 16,
            (null, JsonNode n) when n.GetValue<int>() is >= 1 and <= 1024 => n.GetValue<int>(),
            (null, null) => throw AwsException.Validation("Please specify either number of bytes or key spec."),
            _ => throw AwsException.Validation("1 validation error detected: invalid KeySpec or NumberOfBytes"),
        };
        var dataKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(size);
        var response = new JsonObject
        {
            ["CiphertextBlob"] = Convert.ToBase64String(KmsCiphertext.Seal(key, dataKey, Context(body))),
            ["KeyId"] = key.Arn,
        };
        if (withPlaintext)
        {
            response["Plaintext"] = Convert.ToBase64String(dataKey);
        }

        return response;
    }

    private FakeKmsKey Resolve(string reference)
    {
        var arnPrefix = $"arn:aws:kms:{Region}:{AccountId}:";
        var local = reference.StartsWith(arnPrefix, StringComparison.Ordinal) ? reference[arnPrefix.Length..] : reference;
        if (local.StartsWith("alias/", StringComparison.Ordinal))
        {
            return _aliases.TryGetValue(local, out var target) ? _keys[target]
                : throw new AwsException("NotFoundException", $"Alias {arnPrefix}{local} is not found.");
        }

        var id = local.StartsWith("key/", StringComparison.Ordinal) ? local[4..] : local;
        return !reference.StartsWith("arn:", StringComparison.Ordinal) || reference.StartsWith(arnPrefix, StringComparison.Ordinal)
            ? _keys.GetValueOrDefault(id) ?? throw new AwsException("NotFoundException", $"Key '{arnPrefix}key/{id}' does not exist")
            : throw new AwsException("NotFoundException", $"Invalid arn {reference}");
    }

    private FakeKmsKey Usable(FakeKmsKey key, string action)
    {
        if (key.AccessDenied)
        {
            throw new AwsException("AccessDeniedException", $"User: arn:aws:iam::{AccountId}:user/test is not authorized to perform: kms:{action} on resource: {key.Arn} because no identity-based policy allows the kms:{action} action");
        }

        return key.Enabled ? key : throw new AwsException("DisabledException", $"{key.Arn} is disabled.");
    }

    private JsonObject Metadata(FakeKmsKey key) => new()
    {
        ["AWSAccountId"] = AccountId,
        ["KeyId"] = key.KeyId,
        ["Arn"] = key.Arn,
        ["CreationDate"] = EpochSeconds(key.Created),
        ["Enabled"] = key.Enabled,
        ["Description"] = key.Description ?? "",
        ["KeyUsage"] = "ENCRYPT_DECRYPT",
        ["KeyState"] = key.Enabled ? "Enabled" : "Disabled",
        ["Origin"] = "AWS_KMS",
        ["KeyManager"] = "CUSTOMER",
        ["CustomerMasterKeySpec"] = "SYMMETRIC_DEFAULT",
        ["KeySpec"] = "SYMMETRIC_DEFAULT",
        ["EncryptionAlgorithms"] = new JsonArray("SYMMETRIC_DEFAULT"),
        ["MultiRegion"] = false,
    };

    private static JsonObject? Context(JsonObject body)
    {
        if (body["EncryptionContext"] is not JsonObject context)
        {
            return null;
        }

        foreach (var (name, value) in context)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out _))
            {
                throw AwsException.Validation($"EncryptionContext value of \"{name}\" must be a string");
            }
        }

        return context;
    }
}
