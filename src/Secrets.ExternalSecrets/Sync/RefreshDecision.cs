using Secrets.ExternalSecrets.Api;

namespace Secrets.ExternalSecrets.Sync;

/// <summary>
/// When to fetch again (externalsecret_controller.go shouldRefresh / isSecretValid, eso-flux.md §1.3 step 4).
/// The resource version covers labels and annotations, so the force-sync annotation (or any metadata edit) refreshes.
/// </summary>
public static class RefreshDecision
{
    public static string CurrentResourceVersion(ExternalSecret externalSecret)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        return EsoHash.ResourceVersion(externalSecret.Metadata.Generation, externalSecret.Metadata.Labels, externalSecret.Metadata.Annotations);
    }

    public static bool ShouldRefresh(ExternalSecret externalSecret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        var status = externalSecret.Status;
        var neverSynced = string.IsNullOrEmpty(status.SyncedResourceVersion) || status.RefreshTime is null;
        switch (externalSecret.Spec.RefreshPolicy)
        {
            case RefreshPolicy.CreatedOnce:
                return neverSynced;
            case RefreshPolicy.OnChange:
                return neverSynced || status.SyncedResourceVersion != CurrentResourceVersion(externalSecret);
            default:
                var interval = externalSecret.Spec.RefreshInterval;
                if (interval <= TimeSpan.Zero && !string.IsNullOrEmpty(status.SyncedResourceVersion))
                {
                    return false;
                }

                if (status.SyncedResourceVersion != CurrentResourceVersion(externalSecret) || status.RefreshTime is not { } refreshed || refreshed > now)
                {
                    return true;
                }

                return refreshed + interval < now;
        }
    }

    /// <summary>Orphan targets are always valid; otherwise the Secret must exist, carry the managed label and an up-to-date data hash.</summary>
    public static bool IsSecretValid(ExternalSecret externalSecret, KubeSecret? secret)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        if (externalSecret.Spec.Target.CreationPolicy == CreationPolicy.Orphan)
        {
            return true;
        }

        return secret is not null
            && secret.Labels.GetValueOrDefault(EsoMetadata.ManagedLabel) == "true"
            && secret.Annotations.GetValueOrDefault(EsoMetadata.DataHashAnnotation) == EsoHash.DataHash(secret.Data);
    }

    /// <summary>When to look again: the rest of the interval since the last refresh; null when the interval is 0.</summary>
    public static TimeSpan? RequeueAfter(ExternalSecret externalSecret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(externalSecret);
        var interval = externalSecret.Spec.RefreshInterval;
        if (interval <= TimeSpan.Zero)
        {
            return null;
        }

        var remaining = externalSecret.Status.RefreshTime is { } refreshed ? refreshed + interval - now : interval;
        return remaining > TimeSpan.Zero && remaining <= interval ? remaining : interval;
    }
}
