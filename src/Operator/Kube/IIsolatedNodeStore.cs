using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>The operator owns IsolatedNode.spec; the agent owns status.</summary>
public interface IIsolatedNodeStore
{
    /// <summary>Creates the node's object or replaces its whole spec. The caller decides whether the stored spec
    /// differs (from its cache), so no read precedes the write.</summary>
    /// <param name="exists">Whether the cache holds the object: a create is tried first when it does not.</param>
    Task SetSpecAsync(string nodeName, IsolatedNodeSpec spec, bool exists, CancellationToken cancellationToken);
}
