using System.CommandLine;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>Every `wgisolate` command, for the executable and for tests that run it in-process.</summary>
internal static class WgIsolateCli
{
    public static RootCommand Root() => new("WgIsolate: every app in its own network namespace whose only way out is WireGuard.")
    {
        UpCommand.Create(),
        DownCommand.Create(),
        StatusCommand.Create(),
        UnitCommand.Create(),
        PlanCommand.Create(),
        PrefixCommand.Create(),
        ExecCommand.Create(),
    };
}
