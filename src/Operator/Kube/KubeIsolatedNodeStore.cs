using k8s.Models;
using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>
/// Writes IsolatedNode.spec without reading it first. With a basis, a JSON patch of what changed
/// (<see cref="NodeSpecPatch"/>) whose first operation tests metadata.generation against the basis's: the API server
/// refuses it (422) when the spec changed since, and the spec is then written whole. Generation, not
/// resourceVersion: agents write status all the time, and each write moves the resourceVersion, not the spec.
/// Without a basis, a JSON merge patch of the whole spec: the spec is the operator's alone and its interfaces list
/// is replaced by a merge patch, never merged, so that patch needs no resourceVersion. Neither
/// can lose an agent's status, which lives in the status subresource. Bodies are streamed and answers read for
/// their metadata only (<see cref="KubeHttp"/>): at 10,000 peer entries a spec is megabytes.
/// </summary>
public sealed class KubeIsolatedNodeStore(KubeHttp http) : IIsolatedNodeStore
{
    private const string Path = $"apis/{ApiGroup.Group}/{ApiGroup.Version}/{V1Alpha1IsolatedNode.KubePluralName}";

    public async Task<long> SetSpecAsync(string nodeName, IsolatedNodeSpec spec, NodeSpecBasis? basis, bool exists, CancellationToken cancellationToken)
    {
        if (exists && basis is not null && NodeSpecPatch.Between(basis.Spec, spec) is { Count: > 0 } changes
            && await TryPatchChangesAsync(nodeName, basis.Generation, changes, cancellationToken) is { } patched)
        {
            return patched;
        }

        if (!exists && await TryCreateAsync(nodeName, spec, cancellationToken) is { } created) return created;
        try
        {
            return await PatchAsync(nodeName, new Dictionary<string, object> { ["spec"] = spec }, KubeHttp.MergePatch, cancellationToken);
        }
        catch (Exception e) when (KubeErrors.IsNotFound(e))
        {
            // Deleted since the cache saw it: create it again.
            return await TryCreateAsync(nodeName, spec, cancellationToken)
                ?? throw new InvalidOperationException($"IsolatedNode {nodeName} was deleted and created again while its spec was written; retrying");
        }
    }

    /// <returns>Null when the spec is no longer the one of <paramref name="generation"/> (or the object is gone).
    /// A patch the server finds invalid also ends here: the whole spec then meets the same check, and its error
    /// says what is wrong in terms of the spec rather than of list indices.</returns>
    private async Task<long?> TryPatchChangesAsync(string nodeName, long generation, IReadOnlyList<JsonPatchOperation> changes,
        CancellationToken cancellationToken)
    {
        List<JsonPatchOperation> operations = [JsonPatchOperation.Test("/metadata/generation", generation), .. changes];
        try
        {
            return await PatchAsync(nodeName, operations, KubeHttp.JsonPatch, cancellationToken);
        }
        catch (Exception e) when (KubeErrors.IsUnprocessable(e) || KubeErrors.IsNotFound(e))
        {
            return null;
        }
    }

    private async Task<long> PatchAsync(string nodeName, object patch, string mediaType, CancellationToken cancellationToken) =>
        Generation(await http.WriteAsync(HttpMethod.Patch, $"{Path}/{nodeName}", patch, cancellationToken, mediaType));

    /// <returns>Null when it exists already.</returns>
    private async Task<long?> TryCreateAsync(string nodeName, IsolatedNodeSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            var created = new V1Alpha1IsolatedNode { Metadata = new V1ObjectMeta { Name = nodeName }, Spec = spec };
            return Generation(await http.WriteAsync(HttpMethod.Post, Path, created, cancellationToken));
        }
        catch (Exception e) when (KubeErrors.IsConflict(e))
        {
            return null;
        }
    }

    private static long Generation(V1ObjectMeta written) =>
        written.Generation ?? throw new InvalidOperationException("the API server answered an IsolatedNode write without metadata.generation");
}
