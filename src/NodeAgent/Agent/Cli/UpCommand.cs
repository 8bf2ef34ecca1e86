using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WgIsolate.NodeAgent.HostMode.Runtime;
using WgIsolate.NodeAgent.HostMode.State;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>`wgisolate up`: realise a folder of IsolatedApps on this host, once or for as long as it runs.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var manifests = new Option<string>("--manifests") { Description = "Folder of IsolatedApp *.yaml files.", Required = true };
        var state = StateOption.Create();
        var once = new Option<bool>("--once") { Description = "Converge once and exit (0 when every app is ready and isolated)." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Apply the valid files even when others are invalid." };
        var endpoint = new Option<string?>("--endpoint-address") { Description = "Address peers reach this host at (default: its first global address)." };
        var resync = new Option<int>("--resync-seconds") { Description = "Without --once: converge this often even when nothing changed, to repair drift.", DefaultValueFactory = _ => 30 };
        var command = new Command("up", "Create or update every app of a folder on this host; keeps watching the folder unless --once.")
        {
            manifests, state, once, skipInvalid, endpoint, resync,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var settings = new UpSettings(
                result.GetValue(manifests)!,
                result.GetValue(state)!,
                result.GetValue(endpoint) is { } e ? IPAddress.Parse(e) : HostState.DefaultEndpointAddress(),
                result.GetValue(skipInvalid),
                TimeSpan.FromSeconds(result.GetValue(resync)));
            HostSession session;
            try
            {
                session = HostSession.Open(settings.StateDirectory);
            }
            catch (StateLockedException ex)
            {
                error.WriteLine(ex.Message);
                return ExitCodes.Failed;
            }

            using (session)
            {
                result.InvocationConfiguration.Output.WriteLine($"WireGuard backend: {session.Backend} ({session.BackendReason})");
                if (result.GetValue(once))
                {
                    return UpPass.Run(session, settings, result.InvocationConfiguration.Output, error);
                }

                var builder = Host.CreateApplicationBuilder();
                builder.Services.AddSystemd();
                builder.Services.AddSingleton(session);
                builder.Services.AddSingleton(settings);
                builder.Services.AddHostedService<UpService>();
                using var host = builder.Build();
                await host.RunAsync(cancellationToken);
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
