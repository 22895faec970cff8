namespace Secrets.TestSupport.Fakes.Aws;

/// <summary>A stored SSM parameter: its type, versions (1-based, each with labels) and tags.</summary>
internal sealed class SsmParameter(string name, string type)
{
    public string Name { get; } = name;

    public string Type { get; set; } = type;

    public string? KeyId { get; set; }

    public string? Description { get; set; }

    public List<SsmParameterVersion> Versions { get; } = [];

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public SsmParameterVersion Latest => Versions[^1];
}

/// <summary>One version of an SSM parameter.</summary>
internal sealed record SsmParameterVersion(long Version, string Value, DateTimeOffset Modified)
{
    public HashSet<string> Labels { get; } = new(StringComparer.Ordinal);
}
