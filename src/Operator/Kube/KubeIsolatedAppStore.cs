using k8s;
using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

public sealed class KubeIsolatedAppStore(IKubernetes client) : IIsolatedAppStore
{
    private const string Plural = V1Alpha1IsolatedApp.KubePluralName;

    public Task SetStatusAsync(string ns, string name, IsolatedAppStatus status, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RetryOnConflictAsync($"status of IsolatedApp {ns}/{name}", async () =>
        {
            var app = await client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1IsolatedApp>(
                ApiGroup.Group, ApiGroup.Version, ns, Plural, name, cancellationToken);
            app.Status = status;
            return await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<V1Alpha1IsolatedApp>(
                app, ApiGroup.Group, ApiGroup.Version, ns, Plural, name, cancellationToken: cancellationToken);
        });

    public Task<bool> SetFinalizerAsync(string ns, string name, string finalizer, bool present, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RetryOnConflictAsync($"finalizer of IsolatedApp {ns}/{name}", async () =>
        {
            V1Alpha1IsolatedApp app;
            try
            {
                app = await client.CustomObjects.GetNamespacedCustomObjectAsync<V1Alpha1IsolatedApp>(
                    ApiGroup.Group, ApiGroup.Version, ns, Plural, name, cancellationToken);
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
                return false;
            }

            var finalizers = app.Metadata.Finalizers?.ToList() ?? [];
            if (finalizers.Contains(finalizer) == present) return true;
            if (present) finalizers.Add(finalizer);
            else finalizers.Remove(finalizer);
            app.Metadata.Finalizers = finalizers;
            await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<V1Alpha1IsolatedApp>(
                app, ApiGroup.Group, ApiGroup.Version, ns, Plural, name, cancellationToken: cancellationToken);
            return true;
        });
}
