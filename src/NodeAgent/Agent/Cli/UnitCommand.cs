using System.CommandLine;
using WgIsolate.Core.Naming;
using WgIsolate.NodeAgent.HostMode.Units;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>`wgisolate unit APP`: the systemd drop-in and podman Quadlet lines that run a workload in the app's
/// namespace.</summary>
internal static class UnitCommand
{
    public static Command Create()
    {
        var app = new Argument<string>("app") { Description = "The app (its metadata.name)." };
        var command = new Command("unit", "Print a systemd drop-in and a podman Quadlet snippet that run a workload inside APP's namespace.") { app };
        command.SetAction(result =>
        {
            var name = result.GetValue(app)!;
            var netns = NamespaceNames.ForHostApp(name);
            var path = NamespaceNames.Path(netns);
            var resolvConf = Path.Combine("/etc/netns", netns, "resolv.conf");
            var output = result.InvocationConfiguration.Output;
            output.WriteLine($"# /etc/systemd/system/<your service>.service.d/wgisolate-{name}.conf");
            output.WriteLine(WorkloadUnits.SystemdDropIn(name, path, File.Exists(resolvConf) ? resolvConf : null));
            output.WriteLine($"# or, for podman, in /etc/containers/systemd/<your container>.container");
            output.WriteLine(WorkloadUnits.QuadletContainer(name, path));
            return ExitCodes.Ok;
        });
        return command;
    }
}
