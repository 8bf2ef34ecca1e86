using System.CommandLine;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Cli;

internal static class StateOption
{
    public static Option<string> Create() => new("--state")
    {
        Description = "State directory: allocations and keys (one `up` at a time per directory).",
        DefaultValueFactory = _ => HostState.DefaultDirectory,
    };
}
