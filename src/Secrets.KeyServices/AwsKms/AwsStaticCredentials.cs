namespace Secrets.KeyServices.AwsKms;

/// <summary>
/// Static AWS credentials given explicitly, e.g. Flux's <c>sops.aws-kms</c> entry of a decryption Secret
/// (eso-flux.md §3.2: <c>aws_access_key_id</c>, <c>aws_secret_access_key</c>, optional <c>aws_session_token</c>). They
/// take the place of the named profile and the SDK default chain, as sops' <c>CredentialsProvider</c> does.
/// </summary>
public sealed record AwsStaticCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>Names only the access key id: the secret and the token never reach logs or messages.</summary>
    public override string ToString() => $"AwsStaticCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
