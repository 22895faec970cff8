namespace Secrets.TestSupport.Fakes.Azure;

/// <summary>A stored secret: its versions, oldest first.</summary>
internal sealed class FakeKeyVaultSecret(string name)
{
    public string Name { get; } = name;

    public List<FakeKeyVaultSecretVersion> Versions { get; } = [];

    public bool AccessDenied { get; set; }
}

/// <summary>One version of a secret with its attributes.</summary>
internal sealed class FakeKeyVaultSecretVersion(string version, string value, DateTimeOffset created)
{
    public string Version { get; } = version;

    public string Value { get; } = value;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset Updated { get; set; } = created;

    public bool Enabled { get; set; } = true;

    public string? ContentType { get; set; }

    public DateTimeOffset? NotBefore { get; set; }

    public DateTimeOffset? Expires { get; set; }

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}
