namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>A symmetric KMS key held by the fake; its AES-256 material never leaves the fake.</summary>
public sealed class FakeKmsKey
{
    internal FakeKmsKey(string keyId, string arn, string? description, DateTimeOffset created)
    {
        KeyId = keyId;
        Arn = arn;
        Description = description;
        Created = created;
    }

    public string KeyId { get; }

    public string Arn { get; }

    public string? Description { get; }

    public DateTimeOffset Created { get; }

    public bool Enabled { get; internal set; } = true;

    /// <summary>When true every use answers <c>AccessDeniedException</c> (a key policy that does not grant the caller).</summary>
    public bool AccessDenied { get; internal set; }

    internal byte[] Material { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    public override string ToString() => $"{Arn} [redacted]";
}
