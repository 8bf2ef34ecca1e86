namespace WgIsolate.Datapath.WireGuard;

/// <summary>
/// Kernel WireGuard or wireguard-go, behind one interface. Links are always created in the host netns (their UDP
/// socket stays there) and then moved into the app's netns by the caller; <c>netns</c> names where the link lives
/// now (a name under /run/netns, null for the host).
/// </summary>
public interface IWireGuardBackend
{
    /// <summary>For log lines: "kernel" or "userspace (wireguard-go)".</summary>
    string Name { get; }

    /// <summary>Creates the link in the host netns; a link that already exists (agent restart) is adopted.</summary>
    void CreateLink(string ifname);

    void Configure(string ifname, string? netns, DeviceConfig config);

    WireGuardDevice Get(string ifname, string? netns);

    /// <summary>Deletes the link wherever it lives; false when there was none.</summary>
    bool DeleteLink(string ifname, string? netns);
}
