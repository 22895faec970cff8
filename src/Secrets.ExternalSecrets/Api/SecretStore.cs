using System.Text.Json.Nodes;

namespace Secrets.ExternalSecrets.Api;

/// <summary>
/// external-secrets.io/v1 SecretStore or ClusterSecretStore: both kinds share one spec (eso-flux.md §1.4);
/// <see cref="Kind"/> tells them apart.
/// </summary>
public sealed record SecretStore
{
    /// <summary>CRD default <c>spec.refreshInterval</c> 0 means the controller's store requeue interval (5m).</summary>
    public static readonly TimeSpan DefaultRequeueInterval = TimeSpan.FromMinutes(5);

    public required StoreKind Kind { get; init; }

    public required ObjectMeta Metadata { get; init; }

    /// <summary><c>spec.controller</c>: the controller class filter; "" matches every controller.</summary>
    public string? Controller { get; init; }

    /// <summary>Every key under <c>spec.provider</c>; ESO's webhook allows exactly one, see <see cref="Provider"/>.</summary>
    public IReadOnlyDictionary<string, JsonObject> Providers { get; init; } = new Dictionary<string, JsonObject>();

    public TimeSpan RefreshInterval { get; init; }

    public IReadOnlyList<ClusterStoreCondition> Conditions { get; init; } = [];

    public IReadOnlyList<StatusCondition> StatusConditions { get; init; } = [];

    /// <summary>The single configured provider (name, config).</summary>
    public (string Name, JsonObject Config) Provider => Providers.Count == 1
        ? (Providers.Keys.First(), Providers.Values.First())
        : throw new Core.InvalidFileException($"{Kind} \"{Metadata.Display}\": spec.provider must configure exactly one provider, found {(Providers.Count == 0 ? "none" : string.Join(", ", Providers.Keys))}");

    /// <summary>Flood gate (§1.4): only a store with Ready=True may serve ExternalSecrets.</summary>
    public bool IsReady => StatusConditions.Any(c => c.Type == "Ready" && c.IsTrue);

    public static SecretStore Parse(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var kindText = obj["kind"]?.ToString() ?? nameof(StoreKind.SecretStore);
        var root = new ManifestField(obj, "", ObjectMeta.SourceOf(obj, kindText));
        var kind = root["kind"].Enum(StoreKind.SecretStore);
        ApiGroup.CheckKind(root, kind.ToString());
        var spec = root["spec"];
        var providers = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        if (spec["provider"].Node is JsonObject providerMap)
        {
            foreach (var (name, config) in providerMap)
            {
                providers[name] = config as JsonObject ?? throw spec["provider"][name].Invalid("must be an object");
            }
        }

        var interval = spec["refreshInterval"];
        return new SecretStore
        {
            Kind = kind,
            Metadata = ObjectMeta.Parse(root["metadata"]),
            Controller = spec["controller"].String,
            Providers = providers,
            // int seconds or a duration string (§1.4)
            RefreshInterval = interval.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? TimeSpan.FromSeconds(interval.Long ?? 0)
                : interval.String is { Length: > 0 } text ? GoDuration.Parse(text) : TimeSpan.Zero,
            Conditions = [.. spec["conditions"].Items.Select(ClusterStoreCondition.Parse)],
            StatusConditions = [.. root["status"]["conditions"].Items.Select(StatusCondition.Parse)],
        };
    }
}

/// <summary>ClusterSecretStore <c>spec.conditions[]</c>: where the store may be used from (§1.4).</summary>
public sealed record ClusterStoreCondition
{
    public LabelSelector? NamespaceSelector { get; init; }

    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public IReadOnlyList<string> NamespaceRegexes { get; init; } = [];

    internal static ClusterStoreCondition Parse(ManifestField field) => new()
    {
        NamespaceSelector = LabelSelector.Parse(field["namespaceSelector"]),
        Namespaces = field["namespaces"].Strings,
        NamespaceRegexes = field["namespaceRegexes"].Strings,
    };
}
