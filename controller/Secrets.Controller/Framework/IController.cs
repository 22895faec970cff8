namespace Secrets.Controller.Framework;

/// <summary>Something the leader runs until it loses the lease or the host stops (a <see cref="ResourceController{T}"/>).</summary>
public interface IController
{
    string Name { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
