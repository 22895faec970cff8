namespace Secrets.Controller.Framework;

/// <summary>Optional ability of a reconciler: clean up after its primary object is gone (metrics series, caches).</summary>
public interface IDeletionHandler
{
    Task DeletedAsync(ObjectKey key, CancellationToken cancellationToken);
}
