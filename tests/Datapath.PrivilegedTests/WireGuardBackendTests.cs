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

        var choice = WireGuardBackendDetector.Detect();

        Assert.Equal(kernelHasWireGuard ? "kernel" : "userspace (wireguard-go)", choice.Backend.Name);
        Assert.Contains("probe link wgprobe", choice.Reason);
        using var host = RouteNetlink.Open();
        Assert.DoesNotContain(host.Links.List(), l => l.Name.StartsWith("wgprobe", StringComparison.Ordinal));
    }

    [PrivilegedFact]
    public void UserspaceBackend_CreateTwiceMoveConfigureDelete_AdoptsTheRunningDeviceAndRemovesItsSocket()
    {
        if (WireGuardGo.FindOnPath() is null)
        {
            Assert.Fail("privileged tests are opted in but wireguard-go is not on PATH (Debian package wireguard-go)");
        }

        var backend = new UserspaceWireGuardBackend();
        var uapi = new UapiClient();
        var device = UniqueName("u");
        var netns = CreateNamespace("n");
        try
        {
            backend.CreateLink(device);
            var pid = WireGuardGoPid(device);
            backend.CreateLink(device);
            Assert.Equal(pid, WireGuardGoPid(device));

            using (var host = RouteNetlink.Open())
            using (var target = NamedNetworkNamespaces.Open(netns))
            {
                host.Links.MoveToNetns(device, target);
            }

            var key = WireGuardKeys.GeneratePrivateKey();
            backend.Configure(device, netns, new DeviceConfig { PrivateKey = key, ListenPort = 0 });
            Assert.Equal(key, backend.Get(device, netns).PrivateKey);

            Assert.True(backend.DeleteLink(device, netns));
            Assert.False(uapi.Exists(device), "the UAPI socket is gone");
            Assert.False(backend.DeleteLink(device, netns));
        }
        finally
        {
            backend.DeleteLink(device, netns);
            backend.DeleteLink(device, null);
        }
    }

    private static int WireGuardGoPid(string device) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(p => p!.All(char.IsAsciiDigit)).Select(int.Parse!)
            .Single(pid => ReadCmdline(pid) == $"wireguard-go\0{device}\0" || ReadCmdline(pid).EndsWith($"/wireguard-go\0{device}\0", StringComparison.Ordinal));

    private static string ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
