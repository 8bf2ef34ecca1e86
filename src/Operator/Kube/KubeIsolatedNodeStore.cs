using k8s;
using k8s.Models;
using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

public sealed class KubeIsolatedNodeStore(IKubernetes client) : IIsolatedNodeStore
{
    private const string Plural = V1Alpha1IsolatedNode.KubePluralName;

    public Task<bool> SetSpecAsync(string nodeName, IsolatedNodeSpec spec, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RetryOnConflictAsync($"spec of IsolatedNode {nodeName}", async () =>
        {
            V1Alpha1IsolatedNode? current = null;
            try
            {
                current = await client.CustomObjects.GetClusterCustomObjectAsync<V1Alpha1IsolatedNode>(
                    ApiGroup.Group, ApiGroup.Version, Plural, nodeName, cancellationToken);
            }
            catch (Exception e) when (KubeErrors.IsNotFound(e))
            {
                // First interface on this node: the object is created below.
            }

            if (current is null)
            {
                // A concurrent create answers 409 as well, which the retry turns into a replace.
                var created = new V1Alpha1IsolatedNode { Metadata = new V1ObjectMeta { Name = nodeName }, Spec = spec };
                await client.CustomObjects.CreateClusterCustomObjectAsync<V1Alpha1IsolatedNode>(
                    created, ApiGroup.Group, ApiGroup.Version, Plural, cancellationToken: cancellationToken);
                return true;
            }

            if (KubernetesJson.Serialize(current.Spec) == KubernetesJson.Serialize(spec)) return false;
            current.Spec = spec;
            await client.CustomObjects.ReplaceClusterCustomObjectAsync<V1Alpha1IsolatedNode>(
                current, ApiGroup.Group, ApiGroup.Version, Plural, nodeName, cancellationToken: cancellationToken);
            return true;
        });
}
