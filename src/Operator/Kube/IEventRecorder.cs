using k8s;
using k8s.Models;

namespace WgIsolate.Operator.Kube;

/// <summary>Kubernetes Events about an object, for `kubectl describe`. Messages never carry key material.</summary>
public interface IEventRecorder
{
    Task NormalAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken);

    Task WarningAsync(IKubernetesObject<V1ObjectMeta> about, string reason, string message, CancellationToken cancellationToken);
}
