using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Generic;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Generic;

public class GenericFamilyTests
{
    [Fact]
    public void GetFamily_MatchesCaptureFromWg()
    {
        Hex.AssertEqual(
            """
            24 00 00 00 10 00 05 00 SS SS SS SS 00 00 00 00
            03 01 00 00
            0e 00 02 00 77 69 72 65 67 75 61 72 64 00 00 00
            """.Replace("SS", "00"),
            GenericMessages.GetFamily("wireguard"));
    }

    [Fact]
    public void ResolveId_ReadsFamilyIdFromNewFamilyReply()
    {
        var kernel = new FakeKernel(request =>
        {
            var reply = new MessageWriter(GenericMessages.ControllerFamilyId, MessageFlags.None)
                .WriteStruct(new GenericHeader(1, 2))
                .String(GenericMessages.ControllerAttributeFamilyName, "wireguard")
                .U16(GenericMessages.ControllerAttributeFamilyId, 0x1d)
                .ToArray();
            return [FakeKernel.Concat(FakeKernel.ReplyTo(request, reply), FakeKernel.Ack(request))];
        });
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Generic);

        Assert.Equal(0x1d, GenericFamily.ResolveId(socket, "wireguard"));
    }

    [Fact]
    public void ResolveId_Enoent_SaysFamilyNotAvailable()
    {
        var kernel = new FakeKernel(request => [FakeKernel.Error(request, Errno.ENOENT)]);
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Generic);

        var error = Assert.Throws<GenericFamilyNotAvailableException>(() => GenericFamily.ResolveId(socket, "wireguard"));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("generic netlink family 'wireguard' not available", error.Message);
    }
}
