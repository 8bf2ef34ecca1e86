using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Protocol;

public class ErrorMessageTests
{
    [Fact]
    public void ParseError_CapturedAck_IsAckEchoingRequestHeader()
    {
        var message = Assert.Single(Datagram.Split(Hex.Parse(CapturedReplies.Ack)));

        var error = ErrorMessage.ParseError(message);

        Assert.True(error.IsAck);
        Assert.Equal(60u, error.Echoed!.Value.Length);
        Assert.Equal(0x11111111u, error.Echoed.Value.Sequence);
        Assert.Null(error.ExtendedAck.Message);
    }

    [Fact]
    public void ParseError_CapturedUnknownDeviceType_GivesEopnotsuppAndKernelMessage()
    {
        var bytes = Hex.Parse(CapturedReplies.UnknownDeviceType);
        Assert.Equal(104, bytes.Length);

        var error = ErrorMessage.ParseError(Assert.Single(Datagram.Split(bytes)));

        Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
        Assert.Equal("Unknown device type", error.ExtendedAck.Message);
        Assert.Null(error.ExtendedAck.AttributeOffset);
    }

    [Fact]
    public void ParseError_NameTooLong_GivesErangeMessageAndOffsetOfIfname()
    {
        var error = ErrorMessage.ParseError(Assert.Single(Datagram.Split(Hex.Parse(CapturedReplies.NameTooLong))));

        Assert.Equal(Errno.ERANGE, error.Errno);
        Assert.Equal("Attribute failed policy validation", error.ExtendedAck.Message);
        Assert.Equal(32u, error.ExtendedAck.AttributeOffset);
    }

    [Fact]
    public void ParseError_CappedError_FindsTlvsRightAfterEchoedHeaderNotAfterEchoedLength()
    {
        // With NETLINK_CAP_ACK only the 16-byte header is echoed although its nlmsg_len still says 60.
        var bytes = Hex.Parse("""
            30 00 00 00 02 00 00 03 11 11 11 11 22 22 00 00
            a1 ff ff ff
            3c 00 00 00 10 00 05 06 11 11 11 11 00 00 00 00
            0c 00 01 00 6e 6f 70 65 00 00 00 00
            """);

        var error = ErrorMessage.ParseError(Assert.Single(Datagram.Split(bytes)));

        Assert.Equal("nope", error.ExtendedAck.Message);
    }

    [Fact]
    public void ParseDone_WithError_GivesErrno()
    {
        var done = ErrorMessage.ParseDone(Assert.Single(Datagram.Split(Hex.Parse(CapturedReplies.DoneWithNoSuchDevice))));

        Assert.Equal(Errno.ENODEV, done.Errno);
        Assert.False(done.IsAck);
    }

    [Fact]
    public void Split_MultiMessageDatagram_YieldsEachMessageAtAlignedOffsets()
    {
        var datagram = FakeKernel.Concat(
            FakeKernel.Message(16, MessageFlags.Multi, 7, [1, 2, 3, 4, 5]),
            FakeKernel.Message(16, MessageFlags.Multi, 7, [9]),
            FakeKernel.Done(7));

        var messages = Datagram.Split(datagram);

        Assert.Equal([MessageType.MinFamilyType, MessageType.MinFamilyType, MessageType.Done], messages.Select(m => m.Header.Type));
        Assert.Equal([1, 2, 3, 4, 5], messages[0].Payload.ToArray());
        Assert.Equal([9], messages[1].Payload.ToArray());
    }

    [Fact]
    public void Split_TruncatedMessage_Throws()
    {
        var bytes = Hex.Parse("40 00 00 00 10 00 00 00 00 00 00 00 00 00 00 00");

        Assert.Throws<NetlinkProtocolException>(() => Datagram.Split(bytes));
    }
}
