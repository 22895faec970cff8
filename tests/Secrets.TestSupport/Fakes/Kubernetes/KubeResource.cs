namespace Secrets.TestSupport.Fakes.Kubernetes;

/// <summary>A served resource of the fake API server: group, version, plural and how it behaves.</summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public string Singular { get; init; } = Kind.ToLowerInvariant();

    public string ListKind { get; init; } = Kind + "List";

    /// <summary>True when writes to the main resource ignore <c>.status</c> and <c>/status</c> writes ignore the rest.</summary>
    public bool HasStatus { get; init; }

    /// <summary>True for custom resources: generation is tracked, deletes return the object, strategic merge is refused.</summary>
    public bool IsCustom { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>True when writes bump <c>metadata.generation</c> on a spec change (custom resources and CRDs).</summary>
    public bool TracksGeneration => IsCustom || Plural == "customresourcedefinitions";

    public static readonly KubeResource Secrets = new("", "v1", "secrets", "Secret", true);
    public static readonly KubeResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true) { ShortNames = ["cm"] };
    public static readonly KubeResource Events = new("", "v1", "events", "Event", true) { ShortNames = ["ev"] };
    public static readonly KubeResource Namespaces = new("", "v1", "namespaces", "Namespace", false) { HasStatus = true, ShortNames = ["ns"] };
    public static readonly KubeResource Services = new("", "v1", "services", "Service", true) { HasStatus = true, ShortNames = ["svc"] };
    public static readonly KubeResource ServiceAccounts = new("", "v1", "serviceaccounts", "ServiceAccount", true) { ShortNames = ["sa"] };
    public static readonly KubeResource EventsV1 = new("events.k8s.io", "v1", "events", "Event", true) { ShortNames = ["ev"] };
    public static readonly KubeResource Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);

    public static readonly KubeResource CustomResourceDefinitions =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false)
        {
            HasStatus = true,
            ShortNames = ["crd", "crds"],
        };

    /// <summary>The built-in resources every fake serves (test-infra.md §2 fidelity checklist).</summary>
    public static IReadOnlyList<KubeResource> BuiltIn { get; } =
        [Secrets, ConfigMaps, Events, Namespaces, Services, ServiceAccounts, EventsV1, Leases, CustomResourceDefinitions];

    /// <summary>Storage key part: versions of one group share objects, as in the real server.</summary>
    internal string StorageKey => Group + "/" + Plural;
}
