using System.Text.Json.Nodes;

namespace Secrets.ExternalSecrets.Api;

/// <summary>external-secrets.io/v1 ExternalSecret (eso-flux.md §1.2); v1beta1 manifests are field-compatible (§1.1).</summary>
public sealed record ExternalSecret
{
    public const string KindName = "ExternalSecret";

    public required ObjectMeta Metadata { get; init; }

    public required ExternalSecretSpec Spec { get; init; }

    public ExternalSecretStatus Status { get; init; } = new();

    public static ExternalSecret Parse(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var root = new ManifestField(obj, "", ObjectMeta.SourceOf(obj, KindName));
        ApiGroup.CheckKind(root, KindName);
        return new ExternalSecret
        {
            Metadata = ObjectMeta.Parse(root["metadata"]),
            Spec = ExternalSecretSpec.Parse(root["spec"]),
            Status = ExternalSecretStatus.Parse(root["status"]),
        };
    }
}

/// <summary><c>spec</c> of an ExternalSecret; defaults are applied in code, never left to the CRD (§1.10).</summary>
public sealed record ExternalSecretSpec
{
    /// <summary>CRD default <c>1h0m0s</c>; zero means sync once.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromHours(1);

    /// <summary>Optional when every entry has its own sourceRef.storeRef; checked when syncing, so that manifests
    /// such as the upstream merge-template example (which elides it) still parse.</summary>
    public StoreRef? SecretStoreRef { get; init; }

    public RefreshPolicy RefreshPolicy { get; init; }

    public TimeSpan RefreshInterval { get; init; } = DefaultRefreshInterval;

    public ExternalSecretTarget Target { get; init; } = new();

    public IReadOnlyList<ExternalSecretData> Data { get; init; } = [];

    public IReadOnlyList<ExternalSecretDataFrom> DataFrom { get; init; } = [];

    internal static ExternalSecretSpec Parse(ManifestField spec)
    {
        var interval = spec["refreshInterval"].String;
        var parsed = new ExternalSecretSpec
        {
            SecretStoreRef = StoreRef.Parse(spec["secretStoreRef"]),
            RefreshPolicy = spec["refreshPolicy"].Enum(RefreshPolicy.Periodic),
            RefreshInterval = string.IsNullOrEmpty(interval) ? DefaultRefreshInterval
                : GoDuration.TryParse(interval, out var value) ? value
                : throw spec["refreshInterval"].Invalid($"is \"{interval}\", not a Go duration such as 1h0m0s"),
            Target = ExternalSecretTarget.Parse(spec["target"]),
            Data = [.. spec["data"].Items.Select(ExternalSecretData.Parse)],
            DataFrom = [.. spec["dataFrom"].Items.Select(ExternalSecretDataFrom.Parse)],
        };
        parsed.Validate(spec);
        return parsed;
    }

    // externalsecret_validator.go rules that a controller without the webhook must still enforce (eso-flux.md §1.2).
    private void Validate(ManifestField spec)
    {
        if (Target.DeletionPolicy == DeletionPolicy.Delete && Target.CreationPolicy != CreationPolicy.Owner)
        {
            throw spec["target"].Invalid("deletionPolicy=Delete requires creationPolicy=Owner");
        }

        if (Target.DeletionPolicy == DeletionPolicy.Merge && Target.CreationPolicy == CreationPolicy.None)
        {
            throw spec["target"].Invalid("deletionPolicy=Merge is not allowed with creationPolicy=None");
        }

        var duplicate = Data.GroupBy(d => d.SecretKey, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null && Target.DeletionPolicy == DeletionPolicy.Retain)
        {
            throw spec["data"].Invalid($"has the secretKey \"{duplicate.Key}\" more than once");
        }
    }
}

/// <summary><c>spec.target</c>; CRD default {creationPolicy: Owner, deletionPolicy: Retain}.</summary>
public sealed record ExternalSecretTarget
{
    /// <summary>Null means the ExternalSecret's name.</summary>
    public string? Name { get; init; }

    public CreationPolicy CreationPolicy { get; init; }

    public DeletionPolicy DeletionPolicy { get; init; }

    public bool Immutable { get; init; }

    public SecretTemplate? Template { get; init; }

    internal static ExternalSecretTarget Parse(ManifestField target) => new()
    {
        Name = RemoteRef.NullIfEmpty(target["name"].String),
        CreationPolicy = target["creationPolicy"].Enum(CreationPolicy.Owner),
        DeletionPolicy = target["deletionPolicy"].Enum(DeletionPolicy.Retain),
        Immutable = target["immutable"].Bool,
        Template = SecretTemplate.Parse(target["template"]),
    };
}

/// <summary><c>status</c> of an ExternalSecret.</summary>
public sealed record ExternalSecretStatus
{
    public DateTimeOffset? RefreshTime { get; init; }

    /// <summary><c>"&lt;generation&gt;-&lt;sha3-224(labels+annotations)&gt;"</c> (eso-flux.md §1.2).</summary>
    public string? SyncedResourceVersion { get; init; }

    public string? BindingName { get; init; }

    public IReadOnlyList<StatusCondition> Conditions { get; init; } = [];

    /// <summary>The status as the API server stores it (for a merge patch of the status subresource).</summary>
    public JsonObject ToJson()
    {
        var status = new JsonObject
        {
            ["conditions"] = new JsonArray([.. Conditions.Select(c => (JsonNode?)c.ToJson())]),
        };
        if (RefreshTime is { } refreshed)
        {
            status["refreshTime"] = StatusCondition.FormatTime(refreshed);
        }

        if (SyncedResourceVersion is not null)
        {
            status["syncedResourceVersion"] = SyncedResourceVersion;
        }

        if (BindingName is not null)
        {
            status["binding"] = new JsonObject { ["name"] = BindingName };
        }

        return status;
    }

    internal static ExternalSecretStatus Parse(ManifestField status) => new()
    {
        RefreshTime = StatusCondition.ParseTime(status["refreshTime"].String),
        SyncedResourceVersion = status["syncedResourceVersion"].String,
        BindingName = status["binding"]["name"].String,
        Conditions = [.. status["conditions"].Items.Select(StatusCondition.Parse)],
    };
}
