using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>The operator owns IsolatedNode.spec; the agent owns status.</summary>
public interface IIsolatedNodeStore
{
    /// <summary>Creates the node's object or replaces its spec; writes nothing when the stored spec is already equal.
    /// Returns whether it wrote.</summary>
    Task<bool> SetSpecAsync(string nodeName, IsolatedNodeSpec spec, CancellationToken cancellationToken);
}
