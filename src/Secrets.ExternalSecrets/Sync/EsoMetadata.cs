namespace Secrets.ExternalSecrets.Sync;

/// <summary>Well-known labels, annotations, finalizers, condition reasons and messages (externalsecret_types.go, eso-flux.md §1.2).</summary>
public static class EsoMetadata
{
    public const string ManagedLabel = "reconcile.external-secrets.io/managed";
    public const string CreatedByLabel = "reconcile.external-secrets.io/created-by";
    public const string DataHashAnnotation = "reconcile.external-secrets.io/data-hash";
    public const string ForceSyncAnnotation = "external-secrets.io/force-sync";
    public const string Finalizer = "externalsecrets.external-secrets.io/externalsecret-cleanup";
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    public const string ConditionReady = "Ready";
    public const string ReasonSynced = "SecretSynced";
    public const string ReasonSyncedError = "SecretSyncedError";
    public const string ReasonDeleted = "SecretDeleted";
    public const string ReasonMissing = "SecretMissing";

    public const string MessageSynced = "secret synced";
    public const string MessageRetained = "secret retained due to DeletionPolicy=Retain";
    public const string MessageDeleted = "secret deleted due to DeletionPolicy=Delete";
    public const string MessageMergeMissing = "secret will not be created due to CreationPolicy=Merge";
    public const string MessageProviderError = "could not get secret data from provider";
    public const string MessageUpdateError = "could not update secret";
    public const string MessageImmutable = "could not update secret, target is immutable";
    public const string MessageOwnedByOther = "target is owned by another ExternalSecret";

    public const string EventCreated = "Created";
    public const string EventUpdated = "Updated";
    public const string EventDeleted = "Deleted";
    public const string EventUpdateFailed = "UpdateFailed";
}
