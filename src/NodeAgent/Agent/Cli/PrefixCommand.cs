using System.CommandLine;
using WgIsolate.Core.Addressing;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>`wgisolate prefix`: a fresh RFC 4193 /48, from now and this host's MAC.</summary>
internal static class PrefixCommand
{
    public static Command Create()
    {
        var command = new Command("prefix", "Print a fresh RFC 4193 unique local /48 prefix.");
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Output.WriteLine(UniqueLocalPrefix.Generate(DateTimeOffset.UtcNow, HostState.HostMac()));
            return ExitCodes.Ok;
        });
        return command;
    }
}
