using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>The operator owns IsolatedNode.spec; the agent owns status.</summary>
public interface IIsolatedNodeStore
{
    /// <summary>Creates the node's object or changes its spec to <paramref name="spec"/>. The caller decides whether
    /// the stored spec differs (from its cache), so no read precedes the write.</summary>
    /// <param name="basis">What the object holds, as far as the caller knows: the write then sends only what changed,
    /// and the whole spec when the object is no longer at that version.</param>
    /// <param name="exists">Whether the cache holds the object: a create is tried first when it does not.</param>
    /// <returns>The object's resourceVersion after the write, at which it holds <paramref name="spec"/>.</returns>
    Task<string> SetSpecAsync(string nodeName, IsolatedNodeSpec spec, NodeSpecBasis? basis, bool exists, CancellationToken cancellationToken);
}

/// <summary>The spec an IsolatedNode holds at one resourceVersion.</summary>
public sealed record NodeSpecBasis(IsolatedNodeSpec Spec, string ResourceVersion);
