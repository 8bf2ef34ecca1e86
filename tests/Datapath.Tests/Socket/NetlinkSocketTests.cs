using WgIsolate.Datapath.Interop;
using WgIsolate.Datapath.Netlink;
using WgIsolate.Datapath.Netlink.Protocol;
using WgIsolate.Datapath.Tests.Support;

namespace WgIsolate.Datapath.Tests.Socket;

public class NetlinkSocketTests
{
    private static readonly byte[] SetUp = Hex.Parse("20 00 00 00 10 00 05 00 00 00 00 00 00 00 00 00 00 00 00 00 60 00 00 00 01 00 00 00 01 00 00 00");
    private static readonly byte[] LinkDump = Hex.Parse("20 00 00 00 12 00 01 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");

    [Fact]
    public void Request_Acked_SendsRequestWithFreshSequenceAndNoPort()
    {
        var kernel = new FakeKernel(request => [FakeKernel.Ack(request)]);
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        var replies = socket.Request(SetUp, "RTM_NEWLINK up");

        Assert.Empty(replies);
        var sent = Assert.Single(kernel.Sent);
        Assert.Equal(Hex.Format(SetUp.AsSpan(16)), Hex.Format(sent.AsSpan(16)));
        var header = NetlinkHeader.Read(sent);
        Assert.NotEqual(0u, header.Sequence);
        Assert.Equal(0u, header.PortId);
    }

    [Fact]
    public void Request_WithoutAckFlag_AddsAckSoTheRequestHasATerminalMessage()
    {
        var getLink = Hex.Parse("20 00 00 00 12 00 01 00 00*8 00*16");
        var kernel = new FakeKernel(request =>
            [FakeKernel.Concat(FakeKernel.Message(16, MessageFlags.None, FakeKernel.SequenceOf(request), new byte[16]), FakeKernel.Ack(request))]);
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        var replies = socket.Request(getLink, "RTM_GETLINK");

        Assert.Equal(MessageFlags.Request | MessageFlags.Ack, NetlinkHeader.Read(kernel.Sent[0]).Flags);
        Assert.Equal(16, Assert.Single(replies).Header.Type);
    }

    [Fact]
    public void Request_SequenceNumbers_IncreaseByOne()
    {
        var kernel = new FakeKernel(request => [FakeKernel.Ack(request)]);
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        socket.Request(SetUp, "first");
        socket.Request(SetUp, "second");

        Assert.Equal(FakeKernel.SequenceOf(kernel.Sent[0]) + 1, FakeKernel.SequenceOf(kernel.Sent[1]));
    }

    [Fact]
    public void Request_Error_ThrowsNetlinkExceptionWithErrnoKernelMessageAndOperation()
    {
        var kernel = new FakeKernel(request => [FakeKernel.Error(request, Errno.EEXIST, "ipv6: address already assigned")]);
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        var error = Assert.Throws<NetlinkException>(() => socket.Request(SetUp, "RTM_NEWADDR fd01::1/64 dev vexp0"));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("ipv6: address already assigned", error.KernelMessage);
        Assert.Equal("RTM_NEWADDR fd01::1/64 dev vexp0: File exists (EEXIST): ipv6: address already assigned", error.Message);
    }

    [Fact]
    public void Request_RepliesWithOtherSequenceOrPort_AreDropped()
    {
        var kernel = new FakeKernel(request =>
        {
            var seq = FakeKernel.SequenceOf(request);
            return
            [
                FakeKernel.Message(MessageType.Error, MessageFlags.None, seq - 1, BitConverter.GetBytes(-Errno.EINVAL).Concat(request[..16]).ToArray()),
                FakeKernel.Message(16, MessageFlags.None, 0, new byte[16]),
                FakeKernel.Ack(request, port: 999),
                FakeKernel.Ack(request),
            ];
        });
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        var replies = socket.Request(SetUp, "RTM_NEWLINK up");

        Assert.Empty(replies);
    }

    [Fact]
    public void Dump_AcrossSeveralDatagrams_ReturnsAllMessagesUntilDone()
    {
        var kernel = new FakeKernel(request =>
        {
            var seq = FakeKernel.SequenceOf(request);
            return
            [
                FakeKernel.Concat(FakeKernel.Message(16, MessageFlags.Multi, seq, [1]), FakeKernel.Message(16, MessageFlags.Multi, seq, [2])),
                FakeKernel.Message(16, MessageFlags.Multi, seq, [3]),
                FakeKernel.Concat(FakeKernel.Message(16, MessageFlags.Multi, seq, [4]), FakeKernel.Done(seq)),
            ];
        });
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        var messages = socket.Dump(LinkDump, "RTM_GETLINK dump");

        Assert.Equal([1, 2, 3, 4], messages.Select(m => m.Payload.Span[0]));
        Assert.Equal(MessageFlags.DumpRequest, NetlinkHeader.Read(kernel.Sent[0]).Flags);
    }

    [Fact]
    public void Dump_DoneWithError_Throws()
    {
        var kernel = new FakeKernel(request => [FakeKernel.Done(FakeKernel.SequenceOf(request), Errno.ENODEV)]);
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        var error = Assert.Throws<NetlinkException>(() => socket.Dump(LinkDump, "WG_CMD_GET_DEVICE wg0"));

        Assert.Equal(Errno.ENODEV, error.Errno);
    }

    [Fact]
    public void Dump_Interrupted_IsRepeatedAndReturnsTheCleanResult()
    {
        var attempts = 0;
        var kernel = new FakeKernel(request =>
        {
            var seq = FakeKernel.SequenceOf(request);
            var flags = ++attempts == 1 ? MessageFlags.Multi | MessageFlags.DumpInterrupted : MessageFlags.Multi;
            return [FakeKernel.Concat(FakeKernel.Message(16, flags, seq, [(byte)attempts]), FakeKernel.Done(seq))];
        });
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        var messages = socket.Dump(LinkDump, "RTM_GETLINK dump");

        Assert.Equal(2, kernel.Sent.Count);
        Assert.Equal(2, Assert.Single(messages).Payload.Span[0]);
    }

    [Fact]
    public void Dump_AlwaysInterrupted_GivesUp()
    {
        var kernel = new FakeKernel(request =>
        {
            var seq = FakeKernel.SequenceOf(request);
            return [FakeKernel.Concat(FakeKernel.Message(16, MessageFlags.Multi | MessageFlags.DumpInterrupted, seq, [1]), FakeKernel.Done(seq))];
        });
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        Assert.Throws<NetlinkException>(() => socket.Dump(LinkDump, "RTM_GETLINK dump"));
        Assert.Equal(NetlinkSocket.DumpAttempts, kernel.Sent.Count);
    }

    [Fact]
    public void Dump_WithoutDumpFlag_IsRejectedBeforeSending()
    {
        var kernel = new FakeKernel(request => []);
        using var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        Assert.Throws<ArgumentException>(() => socket.Dump(SetUp, "not a dump"));
        Assert.Empty(kernel.Sent);
    }

    [Fact]
    public void Dispose_ClosesTransportAndLaterRequestsThrow()
    {
        var kernel = new FakeKernel(request => [FakeKernel.Ack(request)]);
        var socket = new NetlinkSocket(kernel, NetlinkProtocol.Route);

        socket.Dispose();

        Assert.True(kernel.Disposed);
        Assert.Throws<ObjectDisposedException>(() => socket.Request(SetUp, "late"));
    }
}
