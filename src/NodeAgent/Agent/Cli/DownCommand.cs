using System.CommandLine;
using WgIsolate.NodeAgent.HostMode.Runtime;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>`wgisolate down [APP…]`: remove apps (all by default) and leave nothing of them behind.</summary>
internal static class DownCommand
{
    public static Command Create()
    {
        var state = StateOption.Create();
        var apps = new Argument<string[]>("app") { Description = "Apps to remove (by name); all apps when none is given.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("down", "Remove apps from this host: namespaces, links, veths, routes, NAT and their state.") { state, apps };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            try
            {
                using var session = HostSession.Open(result.GetValue(state)!);
                var report = session.Down(result.GetValue(apps) ?? []);
                foreach (var removed in report.Removed)
                {
                    output.WriteLine($"removed {removed}");
                }

                if (!report.Succeeded)
                {
                    error.WriteLine($"FAILED: {report.HostError}");
                    return ExitCodes.Failed;
                }

                output.WriteLine(report.Removed.Count == 0 ? "nothing to remove" : "done");
                return ExitCodes.Ok;
            }
            catch (HostCommandException ex)
            {
                error.WriteLine(ex.Message);
                return ExitCodes.InvalidInput;
            }
            catch (StateLockedException ex)
            {
                error.WriteLine(ex.Message + "; remove the app's file from the folder `up` watches instead");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
