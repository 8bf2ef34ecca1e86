using System.CommandLine;
using WgIsolate.NodeAgent.Cli;

var root = new RootCommand("WgIsolate: every app in its own network namespace whose only way out is WireGuard.")
{
    PrefixCommand.Create(),
    PlanCommand.Create(),
    ExecCommand.Create(),
};
return root.Parse(args).Invoke();
