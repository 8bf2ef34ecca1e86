namespace WgIsolate.Datapath.Netlink;

/// <summary>
/// The seam below <see cref="NetlinkSocket"/>: whole datagrams in and out. Tests replace the kernel here and assert
/// exact request bytes (as mdlayher/netlink's nltest does).
/// </summary>
public interface INetlinkTransport : IDisposable
{
    /// <summary>The port id the kernel assigned at bind; replies carry it in nlmsg_pid.</summary>
    uint PortId { get; }

    void Send(ReadOnlySpan<byte> message);

    /// <summary>Blocks for the next datagram and returns it whole.</summary>
    byte[] Receive();
}
