namespace Secrets.KeyServices.AwsKms;

/// <summary>
/// Settings that apply to every KMS key a command names: <c>--encryption-context</c>, <c>--aws-profile</c> and, for the
/// controller, static credentials from a decryption Secret. The endpoint comes from the SDK's standard configuration
/// (<c>AWS_ENDPOINT_URL_KMS</c>, …), never from here.
/// </summary>
public sealed record KmsOptions
{
    /// <summary>Encryption context for keys parsed from flags (keys from <c>.sops.yaml</c> groups carry their own).</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>The shared-config profile for keys that name none; written as <c>aws_profile</c> (may be empty).</summary>
    public string AwsProfile { get; init; } = "";

    /// <summary>
    /// Explicit credentials for every key, in place of the profile and the SDK default chain (a role in the key is
    /// still assumed with them). Null: profile or default chain.
    /// </summary>
    public AwsStaticCredentials? Credentials { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Parses sops' <c>--encryption-context</c> form <c>key:value,key2:value2</c> (<c>kms.ParseKMSContext</c>): pairs split
    /// on ',' and the first ':'; an item without ':' is an error.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ParseEncryptionContext(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw KeyFields.InvalidKey($"invalid encryption context item \"{pair}\"", "write the context as key:value,key2:value2");
            }

            context[pair[..colon]] = pair[(colon + 1)..];
        }

        return context;
    }
}
