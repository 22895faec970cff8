using Secrets.ExternalSecrets.Api;
using Secrets.ExternalSecrets.Providers;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// The pure sync of one ExternalSecret (externalsecret_controller.go Reconcile, eso-flux.md §1.3 steps 3-10): decide
/// whether to refresh, fetch provider data, build the desired Secret, apply creation/deletion policies and compute
/// the status. It performs no Kubernetes writes; the reconciler applies <see cref="SyncOutcome"/>.
/// </summary>
public sealed class ExternalSecretSync(IKubeObjectReader objects, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public static string TargetName(ExternalSecret externalSecret)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        return externalSecret.Spec.Target.Name ?? externalSecret.Metadata.Name;
    }

    public static OwnerReference OwnerOf(ExternalSecret externalSecret)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        return new(ApiGroup.ApiVersion, ExternalSecret.KindName, externalSecret.Metadata.Name, externalSecret.Metadata.Uid ?? "", Controller: true);
    }

    public async Task<SyncOutcome> SyncAsync(
        ExternalSecret externalSecret,
        KubeSecret? existing,
        Func<StoreRef, CancellationToken, Task<ISecretsProvider>> providers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        var now = _clock.GetUtcNow();
        var spec = externalSecret.Spec;
        if (!RefreshDecision.ShouldRefresh(externalSecret, now) && RefreshDecision.IsSecretValid(externalSecret, existing))
        {
            return new SyncOutcome { Status = externalSecret.Status, RequeueAfter = RefreshDecision.RequeueAfter(externalSecret, now), Skipped = true };
        }

        ProviderDataCollector.Result collected;
        try
        {
            collected = await ProviderDataCollector.CollectAsync(externalSecret, providers, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Core.SecretsException)
        {
            return Failure(externalSecret, now, EsoMetadata.MessageProviderError, e.Message);
        }

        if (collected.Data.Count == 0 && spec.Target.DeletionPolicy != DeletionPolicy.Merge && (spec.Data.Count > 0 || spec.DataFrom.Count > 0))
        {
            if (spec.Target.DeletionPolicy == DeletionPolicy.Delete)
            {
                var owned = existing?.Controller is { } owner && owner.Uid == externalSecret.Metadata.Uid && owner.Kind == ExternalSecret.KindName;
                return Success(externalSecret, now, EsoMetadata.ReasonDeleted, EsoMetadata.MessageDeleted) with
                {
                    Write = owned ? SecretWrite.Delete : SecretWrite.None,
                    Secret = owned ? existing : null,
                    EventReason = owned ? EsoMetadata.EventDeleted : null,
                    EventMessage = owned ? EsoMetadata.MessageDeleted : null,
                };
            }

            return Success(externalSecret, now, EsoMetadata.ReasonSynced, EsoMetadata.MessageRetained);
        }

        var policy = spec.Target.CreationPolicy;
        if (policy == CreationPolicy.Merge && existing is null)
        {
            return Success(externalSecret, now, EsoMetadata.ReasonMissing, EsoMetadata.MessageMergeMissing);
        }

        if (policy == CreationPolicy.Owner && existing?.Controller is { Kind: ExternalSecret.KindName } controller && controller.Uid != externalSecret.Metadata.Uid)
        {
            return Failure(externalSecret, now, EsoMetadata.MessageOwnedByOther, $"target Secret \"{existing.Name}\" is controlled by ExternalSecret \"{controller.Name}\"");
        }

        KubeSecret desired;
        try
        {
            desired = await BuildAsync(externalSecret, existing, collected.Data, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Core.SecretsException)
        {
            return Failure(externalSecret, now, EsoMetadata.MessageUpdateError, e.Message);
        }

        if (existing is { Immutable: true } && !KubeSecret.SameData(existing.Data, desired.Data))
        {
            return Failure(externalSecret, now, EsoMetadata.MessageImmutable, $"target Secret \"{existing.Name}\" is immutable and its data would change") with { Permanent = true, RequeueAfter = null };
        }

        var synced = Success(externalSecret, now, EsoMetadata.ReasonSynced, EsoMetadata.MessageSynced);
        if (policy == CreationPolicy.None)
        {
            return synced;
        }

        if (existing is null)
        {
            return synced with { Write = SecretWrite.Create, Secret = desired, EventReason = EsoMetadata.EventCreated, EventMessage = "secret created" };
        }

        return existing.SameContentAs(desired) ? synced : synced with { Write = SecretWrite.Update, Secret = desired, EventReason = EsoMetadata.EventUpdated, EventMessage = "secret updated" };
    }

    private async Task<KubeSecret> BuildAsync(ExternalSecret externalSecret, KubeSecret? existing, IReadOnlyDictionary<string, byte[]> data, CancellationToken cancellationToken)
    {
        var target = externalSecret.Spec.Target;
        var baseSecret = existing ?? new KubeSecret { Name = TargetName(externalSecret), Namespace = externalSecret.Metadata.Namespace ?? "" };
        var secret = await SecretTemplater.ApplyAsync(externalSecret, baseSecret, data, objects, cancellationToken).ConfigureAwait(false);
        var labels = new SortedDictionary<string, string>(secret.Labels, StringComparer.Ordinal) { [EsoMetadata.ManagedLabel] = "true" };
        var owners = secret.OwnerReferences.ToList();
        if (target.CreationPolicy == CreationPolicy.Owner)
        {
            labels[EsoMetadata.CreatedByLabel] = EsoHash.CreatedBy(externalSecret.Metadata.Namespace ?? "", externalSecret.Metadata.Name);
            // Other controllers' ownership is tolerated: only a controller reference of ours is added.
            var ours = OwnerOf(externalSecret);
            owners.RemoveAll(o => o.Uid == ours.Uid);
            owners = owners.Select(o => o with { Controller = false }).Prepend(ours).ToList();
        }

        var annotations = new SortedDictionary<string, string>(secret.Annotations, StringComparer.Ordinal)
        {
            [EsoMetadata.DataHashAnnotation] = EsoHash.DataHash(secret.Data),
        };
        return secret with
        {
            Labels = labels,
            Annotations = annotations,
            OwnerReferences = owners,
            Immutable = secret.Immutable || target.Immutable,
        };
    }

    private static SyncOutcome Success(ExternalSecret externalSecret, DateTimeOffset now, string reason, string message) => new()
    {
        Status = new ExternalSecretStatus
        {
            RefreshTime = now,
            SyncedResourceVersion = RefreshDecision.CurrentResourceVersion(externalSecret),
            BindingName = TargetName(externalSecret),
            Conditions = [Ready(externalSecret, now, "True", reason, message)],
        },
        RequeueAfter = externalSecret.Spec.RefreshInterval > TimeSpan.Zero ? externalSecret.Spec.RefreshInterval : null,
    };

    // Step 6: status False/SecretSyncedError with the generic message; refreshTime is not advanced, the Secret untouched.
    private static SyncOutcome Failure(ExternalSecret externalSecret, DateTimeOffset now, string message, string detail) => new()
    {
        Status = externalSecret.Status with { Conditions = [Ready(externalSecret, now, "False", EsoMetadata.ReasonSyncedError, message)] },
        Failed = true,
        EventReason = EsoMetadata.EventUpdateFailed,
        EventMessage = detail,
        EventIsWarning = true,
    };

    private static StatusCondition Ready(ExternalSecret externalSecret, DateTimeOffset now, string status, string reason, string message)
    {
        var previous = externalSecret.Status.Conditions.FirstOrDefault(c => c.Type == EsoMetadata.ConditionReady);
        var since = previous is not null && previous.Status == status ? previous.LastTransitionTime ?? now : now;
        return new StatusCondition(EsoMetadata.ConditionReady, status, reason, message, since);
    }
}
