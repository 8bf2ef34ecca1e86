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
