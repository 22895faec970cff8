using System.Text.RegularExpressions;

namespace Secrets.KeyServices.AwsKms;

/// <summary>
/// A KMS key as sops names it: <c>arn[+role_arn]</c>, the region taken from the ARN (sops.md §2.1,
/// <c>kms/keysource.go</c>: <c>^arn:aws[\w-]*:kms:(.+):[0-9]+:(key|alias)/.+$</c>).
/// </summary>
internal sealed partial record KmsKeyReference(string Arn, string? Role, string Region)
{
    public static KmsKeyReference Parse(string text)
    {
        // sops splits on '+' and trims spaces: "arn:aws:kms:…:key/id+arn:aws:iam::1:role/x".
        var parts = text.Trim().Split('+', 2, StringSplitOptions.TrimEntries);
        return FromArn(parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null);
    }

    public static KmsKeyReference FromArn(string arn, string? role)
    {
        var match = ArnPattern().Match(arn);
        return match.Success
            ? new KmsKeyReference(arn, string.IsNullOrEmpty(role) ? null : role, match.Groups[1].Value)
            : throw KeyFields.InvalidKey($"invalid KMS key ARN \"{arn}\"", "expected arn:aws:kms:<region>:<account>:key/<id> or …:alias/<name>, optionally followed by +<role ARN>");
    }

    [GeneratedRegex(@"^arn:aws[\w-]*:kms:(.+):[0-9]+:(key|alias)/.+$")]
    private static partial Regex ArnPattern();
}
