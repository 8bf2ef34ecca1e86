using System.Net;
using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Netlink.Route;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Route;

/// <summary>The ensure logic of the rtnetlink clients against a scripted kernel.</summary>
public class ClientTests
{
    [Fact]
    public void CreateWireGuard_KernelSaysUnknownDeviceType_ThrowsKernelWireGuardUnavailable()
    {
        var captured = Hex.Parse(CapturedReplies.UnknownDeviceType);
        var kernel = new FakeKernel(request => [FakeKernel.ReplyTo(request, captured)]);
        using var rt = new RouteNetlink(new NetlinkSocket(kernel, NetlinkProtocol.Route));

        var error = Assert.Throws<KernelWireGuardUnavailableException>(() => rt.Links.CreateWireGuard("wgx"));

        Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
        Assert.Equal(
            "RTM_NEWLINK wgx (kind wireguard): the kernel has no WireGuard support (Operation not supported (EOPNOTSUPP): " +
            "Unknown device type); use userspace WireGuard (wireguard-go)",
            error.Message);
        Assert.Equal(Hex.Format(Hex.MaskSequenceAndPort(Hex.Parse(CapturedReplies.CreateWireGuardRequest))), Hex.Format(Hex.MaskSequenceAndPort(kernel.Sent[0])));
    }

    [Fact]
    public void EnsureUp_LinkAlreadyUp_SendsOnlyTheLookup()
    {
        var kernel = new FakeKernel(request => Answer(request, LinkReply(request, InterfaceFlags.Up)));
        using var rt = new RouteNetlink(new NetlinkSocket(kernel, NetlinkProtocol.Route));

        Assert.False(rt.Links.EnsureUp("va0"));

        Assert.Single(kernel.Sent);
    }

    [Fact]
    public void EnsureUp_LinkDown_SendsSetUpForItsIndex()
    {
        var kernel = new FakeKernel(request => Answer(request, LinkReply(request, InterfaceFlags.None)));
        using var rt = new RouteNetlink(new NetlinkSocket(kernel, NetlinkProtocol.Route));

        Assert.True(rt.Links.EnsureUp("va0"));

        Assert.Equal(2, kernel.Sent.Count);
        Hex.AssertEqual(Hex.Format(LinkMessages.SetUp(0x60, up: true)), kernel.Sent[1]);
    }

    [Fact]
    public void DeleteIfExists_NoSuchLink_ReturnsFalse()
    {
        var kernel = new FakeKernel(request => [FakeKernel.Error(request, Errno.ENODEV)]);
        using var rt = new RouteNetlink(new NetlinkSocket(kernel, NetlinkProtocol.Route));

        Assert.False(rt.Links.DeleteIfExists("va0"));
    }

    [Fact]
    public void EnsureRoute_IdenticalRouteInDump_SendsNoNewRoute()
    {
        var spec = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), 0x60);
        var kernel = new FakeKernel(request =>
        {
            var seq = FakeKernel.SequenceOf(request);
            var route = new MessageWriter(RouteMessageType.NewRoute, MessageFlags.Multi)
                .WriteStruct(new RouteHeader(AddressFamilies.Inet, 16, 0, 0, 254, RouteProtocol.WgIsolate, (byte)RouteScope.Link, 1, 0))
                .Attribute(RouteAttribute.Destination, [10, 60, 0, 0])
                .U32(RouteAttribute.OutputInterface, 0x60)
                .ToArray();
            return [FakeKernel.Concat(FakeKernel.ReplyTo(request, route), FakeKernel.Done(seq))];
        });
        using var rt = new RouteNetlink(new NetlinkSocket(kernel, NetlinkProtocol.Route));

        Assert.False(rt.Routes.Ensure(spec));

        Assert.Equal(RouteMessageType.GetRoute, NetlinkHeader.Read(Assert.Single(kernel.Sent)).Type);
    }

    [Fact]
    public void EnsureRoute_Missing_SendsCreateOrReplace()
    {
        var spec = new RouteSpec(IPNetwork.Parse("10.60.0.0/16"), 0x60);
        var kernel = new FakeKernel(request => NetlinkHeader.Read(request).Type == RouteMessageType.GetRoute
            ? [FakeKernel.Done(FakeKernel.SequenceOf(request))]
            : [FakeKernel.Ack(request)]);
        using var rt = new RouteNetlink(new NetlinkSocket(kernel, NetlinkProtocol.Route));

        Assert.True(rt.Routes.Ensure(spec));

        Hex.AssertEqual(Hex.Format(RouteMessages.Add(spec, replace: true)), kernel.Sent[1]);
    }

    private static byte[] LinkReply(byte[] request, InterfaceFlags flags)
    {
        var reply = new MessageWriter(RouteMessageType.NewLink, MessageFlags.None)
            .WriteStruct(new InterfaceInfoHeader { Index = 0x60, Flags = flags })
            .String(LinkAttribute.IfName, "va0")
            .ToArray();
        return FakeKernel.ReplyTo(request, reply);
    }

    /// <summary>GETLINK gets the link and an ACK; anything else just an ACK.</summary>
    private static IEnumerable<byte[]> Answer(byte[] request, byte[] link) =>
        NetlinkHeader.Read(request).Type == RouteMessageType.GetLink ? [FakeKernel.Concat(link, FakeKernel.Ack(request))] : [FakeKernel.Ack(request)];
}
