using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Route;

namespace WgIsolate.Datapath.Tests.Socket;

/// <summary>Read-only requests any user may make: proves the real socket setup, port id and receive sizing.</summary>
public class RealSocketTests
{
    [Fact]
    public void Open_BindsAndGetsANonZeroPortId()
    {
        using var socket = NetlinkSocket.Open(NetlinkProtocol.Route);

        Assert.NotEqual(0u, socket.PortId);
    }

    [Fact]
    public void Receive_NothingComes_FailsAfterTheTimeoutInsteadOfHanging()
    {
        using var transport = SocketTransport.Open(NetlinkProtocol.Route, receiveTimeout: TimeSpan.FromMilliseconds(200));
        var waited = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<WgIsolate.Datapath.Interop.ErrnoException>(() => transport.Receive());

        Assert.Equal(WgIsolate.Datapath.Interop.Errno.EAGAIN, error.Errno);
        Assert.Contains("no answer from the kernel within 0.2 s", error.Message);
        Assert.InRange(waited.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void LinkDumpAndLookup_FindLoopbackAsIndexOne()
    {
        using var rt = RouteNetlink.Open();

        Assert.Contains(rt.Links.List(), link => link.Name == "lo" && link.Index == 1);
        Assert.Equal(1, rt.Links.Get("lo").Index);
        Assert.Null(rt.Links.Find("nosuchlink0"));
    }

    [Fact]
    public void GenericFamily_Controller_ResolvesToSixteen()
    {
        using var socket = NetlinkSocket.Open(NetlinkProtocol.Generic);

        Assert.Equal(16, Netlink.Generic.GenericFamily.ResolveId(socket, "nlctrl"));
    }
}
