using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace Secrets.Controller.Framework;

/// <summary>
/// One line per reconciler in the composition root:
/// <c>services.AddReconciler&lt;V1Alpha1SealedSecret, SealedSecretReconciler&gt;("sealedsecret", c =&gt; ResourceApi.Custom&lt;…&gt;(c, …))</c>.
/// The informer uses the host's <see cref="InformerOptions"/> (namespaces, label selector, watch timeout) and caches what
/// <c>compact</c> keeps of each object (see <see cref="Informer{T}"/>; default: all but managedFields).
/// </summary>
public static class ControllerRegistration
{
    public static IServiceCollection AddReconciler<T, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TReconciler>(
        this IServiceCollection services,
        string name,
        Func<IKubernetes, IResourceApi<T>> api,
        Action<IServiceProvider, ResourceController<T>>? configure = null,
        Func<T, T, bool>? shouldReconcile = null,
        Func<T, T>? compact = null)
        where T : IKubernetesObject<V1ObjectMeta>
        where TReconciler : class, IReconciler<T>
    {
        ArgumentNullException.ThrowIfNull(api);
        services.AddSingleton<TReconciler>();
        services.AddSingleton(provider =>
        {
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var informer = new Informer<T>(
                api(provider.GetRequiredService<IKubernetes>()),
                provider.GetRequiredService<InformerOptions>(),
                loggers.CreateLogger($"Secrets.Controller.Informer.{name}"),
                compact: compact ?? CacheCompaction.WithoutManagedFields);
            var controller = new ResourceController<T>(
                name,
                informer,
                provider.GetRequiredService<TReconciler>(),
                provider.GetRequiredService<ControllerSettings>(),
                provider.GetRequiredService<ReconcileMetrics>(),
                loggers.CreateLogger($"Secrets.Controller.{name}"),
                shouldReconcile);
            configure?.Invoke(provider, controller);
            return controller;
        });
        services.AddSingleton<IController>(provider => provider.GetRequiredService<ResourceController<T>>());
        return services;
    }
}
