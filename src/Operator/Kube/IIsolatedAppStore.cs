using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Kube;

/// <summary>The writes the IsolatedApp controller makes to its own objects.</summary>
public interface IIsolatedAppStore
{
    /// <summary>Writes the status through the status subresource; the spec is left alone.</summary>
    Task SetStatusAsync(string ns, string name, IsolatedAppStatus status, CancellationToken cancellationToken);

    /// <summary>Adds or removes a finalizer; returns false when the app no longer exists.</summary>
    Task<bool> SetFinalizerAsync(string ns, string name, string finalizer, bool present, CancellationToken cancellationToken);
}
