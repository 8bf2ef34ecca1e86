using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.Tests.Golden.Kernel;

/// <summary>Replies a real WireGuard-capable kernel gave (captured in the kernel VM), replayed through the datapath.</summary>
public class KernelReplyTests
{
    [Fact]
    public void GetFamilyRequest_IsByteForByteWhatTheKernelWasSent()
    {
        var capture = KernelCapture.Load("genl-getfamily-wireguard");
        var kernel = capture.Replay();
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Generic);

        GenericFamily.ResolveId(socket, "wireguard");

        // Only the sequence number differs between runs.
        Assert.Equal(KernelCapture.Unsequenced(capture.Sent[0]), KernelCapture.Unsequenced(Assert.Single(kernel.Sent)));
    }

    [Fact]
    public void ResolveId_ReadsTheFamilyIdFromTheRealKernelReply()
    {
        var kernel = KernelCapture.Load("genl-getfamily-wireguard").Replay();
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Generic);

        Assert.Equal(32, GenericFamily.ResolveId(socket, "wireguard"));
    }

    [Fact]
    public void CreateWireGuard_WhenTheNameIsTaken_ThrowsEexistFromTheRealKernelError()
    {
        var kernel = KernelCapture.Load("rtm-newlink-duplicate").Replay();
        using var links = new RouteNetlink(new NetlinkSocket(kernel, NetlinkProtocol.Route));

        var error = Assert.Throws<NetlinkException>(() => links.Links.CreateWireGuard("wgp1"));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains("File exists", error.Message);
    }
}
