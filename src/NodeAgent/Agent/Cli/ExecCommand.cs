using System.CommandLine;
using System.Diagnostics;
using WgIsolate.Core.Naming;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>`wgisolate exec APP -- CMD…`: CMD replaces this process inside APP's namespace, as `ip netns exec` does.</summary>
internal static class ExecCommand
{
    /// <summary>What shells return when a command is missing or cannot be executed.</summary>
    public const int CommandNotFound = 127;
    public const int CommandNotExecutable = 126;

    public static Command Create()
    {
        var app = new Argument<string>("app") { Description = "The app whose namespace to enter (/run/netns/<name>)." };
        var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments, after `--`.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a command inside an app's network namespace, with /etc/netns/<name>/ files bound over /etc.") { app, commandLine };
        command.SetAction(result =>
        {
            var error = result.InvocationConfiguration.Error;
            var appName = result.GetValue(app)!;
            var netns = NamespaceNames.ForHostApp(appName);
            if (!NamedNetworkNamespaces.Exists(netns))
            {
                error.WriteLine($"wgisolate exec: app {appName}: network namespace {NamespaceNames.Path(netns)} does not exist (is the app up?)");
                return ExitCodes.InvalidInput;
            }

            var argv = result.GetValue(commandLine)!;
            try
            {
                NamespaceExec.Run(netns, argv, error);
            }
            catch (ErrnoException e)
            {
                error.WriteLine($"wgisolate exec: app {appName}: {e.Message}");
                return e.Operation.StartsWith("execvp", StringComparison.Ordinal)
                    ? e.Errno == Errno.ENOENT ? CommandNotFound : CommandNotExecutable
                    : ExitCodes.Failed;
            }

            throw new UnreachableException("NamespaceExec.Run returned instead of replacing the process");
        });
        return command;
    }
}
