using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>The operator owns IsolatedNode.spec; the agent owns status.</summary>
public interface IIsolatedNodeStore
{
    /// <summary>Creates the node's object or changes its spec to <paramref name="spec"/>. The caller decides whether
    /// the stored spec differs (from its cache), so no read precedes the write.</summary>
    /// <param name="basis">The spec the object holds, as far as the caller knows: the write then sends only what
    /// changed, and the whole spec when the spec is no longer that one.</param>
    /// <param name="exists">Whether the cache holds the object: a create is tried first when it does not.</param>
    /// <returns>The object's metadata.generation after the write: the one at which it holds <paramref name="spec"/>.</returns>
    Task<long> SetSpecAsync(string nodeName, IsolatedNodeSpec spec, NodeSpecBasis? basis, bool exists, CancellationToken cancellationToken);
}

/// <summary>The spec an IsolatedNode holds at one metadata.generation, which the API server bumps on every spec change
/// and on nothing else (not on the agent's status writes).</summary>
public sealed record NodeSpecBasis(IsolatedNodeSpec Spec, long Generation);
