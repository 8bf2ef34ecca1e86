namespace WgIsolate.Core.Validation;

public sealed record ValidationOptions
{
    /// <summary>On Kubernetes the selector says which pods are instances; in host mode it is ignored.</summary>
    public bool RequireSelector { get; init; }

    public static readonly ValidationOptions Kubernetes = new() { RequireSelector = true };
    public static readonly ValidationOptions HostMode = new() { RequireSelector = false };
}
