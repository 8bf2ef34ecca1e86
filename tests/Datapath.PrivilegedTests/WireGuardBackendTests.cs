using WgIsolate.Datapath.Namespaces;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.PrivilegedTests.Support;
using WgIsolate.Datapath.WireGuard;
using WgIsolate.Datapath.WireGuard.Userspace;

namespace WgIsolate.Datapath.PrivilegedTests;

public class WireGuardBackendTests : KernelTest
{
    [PrivilegedFact]
    public void Detect_KernelWithoutWireGuard_ChoosesWireGuardGoAndLeavesNoProbeLink()
    {
        var kernelHasWireGuard = Ip.TryRun("ip", "link add wgitprobe type wireguard").ExitCode == 0;
        Ip.TryRun("ip", "link del wgitprobe");

        using var host = RouteNetlink.Open();

        var (backend, reason) = WireGuardBackends.Detect(host.Links, () => new WgIsolate.Datapath.WireGuard.Kernel.KernelWireGuardBackend());

        Assert.Equal(kernelHasWireGuard ? "kernel" : "userspace (wireguard-go)", backend.Name);
        Assert.Contains(kernelHasWireGuard ? "created a wireguard link" : "the kernel has no WireGuard", reason);
        Assert.DoesNotContain(host.Links.List(), l => l.Name.StartsWith("wgi-probe", StringComparison.Ordinal));
    }

    [PrivilegedFact]
    public void UserspaceBackend_CreateTwiceMoveConfigureDelete_AdoptsTheRunningDeviceAndRemovesItsSocket()
    {
        if (WireGuardGo.FindOnPath() is null)
        {
            Assert.Fail("privileged tests are opted in but wireguard-go is not on PATH (Debian package wireguard-go)");
        }

        var backend = new UserspaceWireGuard();
        var uapi = new UapiClient();
        var launcher = new WireGuardGo(uapi);
        var device = UniqueName("u");
        var netns = CreateNamespace("n");
        using var hostNamespace = NamedNetworkNamespaces.OpenCurrent();
        try
        {
            backend.CreateLink(device, hostNamespace);
            var pid = WireGuardGoPid(device);
            backend.CreateLink(device, hostNamespace);
            Assert.Equal(pid, WireGuardGoPid(device));

            using (var host = RouteNetlink.Open())
            using (var target = NamedNetworkNamespaces.Open(netns))
            {
                host.Links.MoveToNetns(device, target);
            }

            var key = WireGuardKeys.GeneratePrivateKey();
            using var handle = NamedNetworkNamespaces.Open(netns);
            using var inNetns = RouteNetlink.OpenIn(handle);
            backend.Configure(device, handle, new DeviceConfig { PrivateKey = key, ListenPort = 0 });
            Assert.Equal(key, backend.Read(device, handle).PrivateKey);

            Assert.True(launcher.Remove(device, inNetns.Links.DeleteIfExists));
            Assert.False(uapi.Exists(device), "the UAPI socket is gone");
            Assert.False(launcher.Remove(device, inNetns.Links.DeleteIfExists));
        }
        finally
        {
            using var hostLinks = RouteNetlink.Open();
            launcher.Remove(device, hostLinks.Links.DeleteIfExists);
        }
    }

    [PrivilegedFact]
    public void UserspaceBackend_AskedForADeviceInANamespaceOtherThanItsOwn_RefusesInsteadOfLeavingTheSocketThere()
    {
        Assert.True(WireGuardGo.FindOnPath() is not null, "wireguard-go is not on PATH (Debian package wireguard-go)");
        var launcher = new WireGuardGo(new UapiClient());
        var device = UniqueName("w");
        using var elsewhere = NamedNetworkNamespaces.Open(CreateNamespace("e"));
        try
        {
            var refused = Assert.Throws<UapiException>(() => new UserspaceWireGuard().CreateLink(device, elsewhere));

            Assert.Contains("is not in the host namespace", refused.Message);
        }
        finally
        {
            using var hostLinks = RouteNetlink.Open();
            launcher.Remove(device, hostLinks.Links.DeleteIfExists);
        }
    }

    private static int WireGuardGoPid(string device) => WireGuardGoProcesses.Serving(device).Single();
}
