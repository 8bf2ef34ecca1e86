using WgIsolate.Core.Api;

namespace WgIsolate.Operator.Controllers;

/// <summary>The states the instances metric counts, from what the node's agent reports.</summary>
public static class InstanceStates
{
    public const string Ready = "Ready";
    public const string Pending = "Pending";
    public const string Error = "Error";

    public static readonly IReadOnlyList<string> All = [Ready, Pending, Error];

    public static string Of(NodeInterfaceStatus? realised) => realised switch
    {
        { Error.Length: > 0 } => Error,
        { Ready: true } => Ready,
        _ => Pending,
    };
}
