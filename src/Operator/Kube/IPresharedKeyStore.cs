namespace WgIsolate.Operator.Kube;

/// <summary>The Secret holding one preshared key per link that asks for one. Keys are generated here, never logged.</summary>
public interface IPresharedKeyStore
{
    /// <summary>Name of the Secret that IsolatedNode specs reference.</summary>
    string SecretName { get; }

    /// <summary>Makes the Secret hold these entries: existing keys are kept, missing ones generated; with
    /// <paramref name="prune"/> the others are removed. Returns whether it wrote.</summary>
    Task<bool> EnsureAsync(IReadOnlySet<string> entries, bool prune, CancellationToken cancellationToken);
}
