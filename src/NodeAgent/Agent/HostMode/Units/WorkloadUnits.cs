namespace WgIsolate.NodeAgent.HostMode.Units;

/// <summary>
/// What a systemd or podman workload needs to run inside an app's namespace, as text to drop into place.
/// The namespace itself is made and kept by wgisolate.service, so workloads order after it and stop with it.
/// </summary>
public static class WorkloadUnits
{
    public const string AgentService = "wgisolate.service";

    /// <summary>A drop-in for an existing service, e.g. /etc/systemd/system/myapp.service.d/wgisolate.conf.</summary>
    public static string SystemdDropIn(string app, string netnsPath, string? resolvConf) =>
        $"""
        # Runs this service inside the WgIsolate namespace of app "{app}": its only way out is WireGuard.
        [Unit]
        After={AgentService}
        BindsTo={AgentService}

        [Service]
        NetworkNamespacePath={netnsPath}
        {ResolvConfLine(resolvConf)}
        """;

    /// <summary>Lines for a podman Quadlet .container unit (podman's own -p is ignored with ns: networking).</summary>
    public static string QuadletContainer(string app, string netnsPath) =>
        $"""
        # Runs this container inside the WgIsolate namespace of app "{app}".
        [Unit]
        After={AgentService}
        BindsTo={AgentService}

        [Container]
        Network=ns:{netnsPath}
        DNS=none

        """;

    // A service joined to a namespace still sees the host's resolv.conf, whose resolver it cannot reach;
    // /etc/netns/<name>/resolv.conf (as `ip netns exec` uses it) is bound over it when the user made one.
    private static string ResolvConfLine(string? resolvConf) =>
        resolvConf is null
            ? "# No /etc/netns/<name>/resolv.conf exists; create one to give the app its own resolver.\n"
            : $"BindReadOnlyPaths={resolvConf}:/etc/resolv.conf\n";
}
