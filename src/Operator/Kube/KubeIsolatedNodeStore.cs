using k8s;
using k8s.Models;
using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>
/// Writes IsolatedNode.spec with a JSON merge patch of the whole spec: the spec is the operator's alone and replaced
/// whole (its interfaces list is replaced by a merge patch, never merged), so the patch depends on nothing it could
/// have read and needs no resourceVersion; it cannot lose an agent's status, which lives in the status
/// subresource. At 10,000 peer entries a spec is megabytes: no GET before the write.
/// </summary>
public sealed class KubeIsolatedNodeStore(IKubernetes client) : IIsolatedNodeStore
{
    private const string Plural = V1Alpha1IsolatedNode.KubePluralName;

    public async Task SetSpecAsync(string nodeName, IsolatedNodeSpec spec, bool exists, CancellationToken cancellationToken)
    {
        if (!exists && await TryCreateAsync(nodeName, spec, cancellationToken)) return;
        try
        {
            await client.CustomObjects.PatchClusterCustomObjectAsync<V1Alpha1IsolatedNode>(
                new V1Patch(new Dictionary<string, object> { ["spec"] = spec }, V1Patch.PatchType.MergePatch),
                ApiGroup.Group, ApiGroup.Version, Plural, nodeName, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            // Deleted since the cache saw it: create it again.
            if (!await TryCreateAsync(nodeName, spec, cancellationToken))
            {
                throw new InvalidOperationException($"IsolatedNode {nodeName} was deleted and created again while its spec was written; retrying");
            }
        }
    }

    /// <returns>False when it exists already.</returns>
    private async Task<bool> TryCreateAsync(string nodeName, IsolatedNodeSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            var created = new V1Alpha1IsolatedNode { Metadata = new V1ObjectMeta { Name = nodeName }, Spec = spec };
            await client.CustomObjects.CreateClusterCustomObjectAsync<V1Alpha1IsolatedNode>(
                created, ApiGroup.Group, ApiGroup.Version, Plural, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (KubeErrors.IsConflict(e))
        {
            return false;
        }
    }
}
